import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { makeHousehold, uniqueRolloutId } from '../helpers/households';
import type { Agency } from '../../domain/agency';
import { ended, getRun, startRun, stepIs, waitForState } from '../helpers/runs';
import { startStack, type Stack } from '../../dev/stack';
import { reportOutcomeUpdate } from '../../workflows/household-run-messages';

const now = () => new Date().toISOString();

describe('ministry webhooks', () => {
  let stack: Stack;
  let runId: string;
  let aidTask: string;
  const post = (agency: Agency, body: unknown, id: string) => stack.webhook(agency, id, body);

  beforeAll(async () => {
    stack = await startStack({ temporalAddress: inject('temporalAddress') });
    // Kemensos stays silent: this test is the ministry and reports by hand.
    await stack.sims.control.kemensos.setBehaviour({ silent: true });
    await stack.sims.control.kemnaker.setBehaviour({ silent: true });
    runId = await startRun(stack, uniqueRolloutId('hooks'), makeHousehold());
    const state = await waitForState(stack, runId, stepIs('aid', 'open'));
    aidTask = state.steps[0]!.taskId!;
  });
  afterAll(() => stack?.close());

  it('refuses an outcome for a task the run does not have (404), and for a run that does not exist (404)', async () => {
    const wrongAttempt = await post('kemensos', { type: 'task.completed', timestamp: now(), data: { taskId: aidTask.replace(/:1$/, ':7'), result: { amount: 1, transferReference: 'x' } } }, 'msg_unknown_1');
    expect(wrongAttempt.status).toBe(404);
    const noRun = await post('kemensos', { type: 'task.rejected', timestamp: now(), data: { taskId: 'run:nobody:3509019999999999:aid:1', reason: 'no' } }, 'msg_unknown_2');
    expect(noRun.status).toBe(404);
    expect(noRun.body.error.code).toBe('not_found');
  });

  it("refuses agency A closing agency B's task (403)", async () => {
    const res = await post('kemnaker', { type: 'task.completed', timestamp: now(), data: { taskId: aidTask, result: { amount: 1, transferReference: 'x' } } }, 'msg_wrong_agency');
    expect(res.status).toBe(403);
    expect((await getRun(stack, runId)).state.steps[0]!.status).toBe('open');
  });

  it('names the missing result field (422) and a malformed body (400)', async () => {
    const res = await post('kemensos', { type: 'task.completed', timestamp: now(), data: { taskId: aidTask, result: { amount: 750000 } } }, 'msg_bad_result');
    expect(res.status).toBe(422);
    expect(res.body.error.fields).toEqual([expect.objectContaining({ field: 'body.data.result.transferReference' })]);


    const badBody = await post('kemensos', { type: 'task.finished', data: {} }, 'msg_bad_body');
    expect(badBody.status).toBe(400);
    expect((await getRun(stack, runId)).state.steps[0]!.status).toBe('open');
  });

  it('records a valid outcome once: a redelivery gets the same answer, a second different webhook gets 409', async () => {
    const body = { type: 'task.completed', timestamp: now(), data: { taskId: aidTask, result: { amount: 750000, transferReference: 'TRF-1' } } };
    const first = await post('kemensos', body, 'msg_aid_done');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ taskId: aidTask, outcome: 'completed' });

    const again = await post('kemensos', body, 'msg_aid_done');
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);

    const other = await post('kemensos', { ...body, data: { ...body.data, result: { amount: 1, transferReference: 'TRF-2' } } }, 'msg_aid_other');
    expect(other.status).toBe(409);
    expect(other.body.error.message).toBe(`task ${aidTask} is already completed`);

    const { state } = await getRun(stack, runId);
    expect(state.steps[0]!.attempts).toHaveLength(1);
    expect(state.steps[0]!.attempts[0]).toMatchObject({ outcome: 'completed', closedBy: 'msg_aid_done', result: { transferReference: 'TRF-1' } });
  });

  it('answers a redelivery of an outcome first delivered under the older update id (the webhook id alone) from the record, once', async () => {
    const other = await startRun(stack, uniqueRolloutId('hooks'), makeHousehold());
    const taskId = (await waitForState(stack, other, stepIs('aid', 'open'))).steps[0]!.taskId!;
    const result = { amount: 750000, transferReference: 'TRF-OLD' };
    // As the API before this version sent it: the update id was the webhook id.
    const first = await stack.client.workflow.getHandle(other).executeUpdate(reportOutcomeUpdate, {
      args: [{ taskId, agency: 'kemensos', reportedAt: now(), source: 'msg_legacy', outcome: 'completed', result }],
      updateId: 'msg_legacy',
    });
    const body = { type: 'task.completed', timestamp: now(), data: { taskId, result } };
    const again = await post('kemensos', body, 'msg_legacy');
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ taskId, outcome: 'completed', closedAt: first.closedAt });
    expect((await getRun(stack, other)).state.steps[0]!.attempts).toHaveLength(1);
    // And once the run has ended (cancelled while kemnaker sits on its training), still from the record; another agency is refused.
    expect((await stack.call('POST', `/v1/runs/${encodeURIComponent(other)}/cancel`, { reason: 'household moved away' }, 'manager')).status).toBe(200);
    await waitForState(stack, other, ended);
    const afterEnd = await post('kemensos', body, 'msg_legacy');
    expect(afterEnd.status).toBe(200);
    expect(afterEnd.body).toEqual({ taskId, outcome: 'completed', closedAt: first.closedAt });
    const changed = await post('kemensos', { ...body, data: { taskId, result: { ...result, transferReference: 'TRF-NEW' } } }, 'msg_legacy');
    expect(changed.status).toBe(409);
    expect(changed.body.error.fields).toEqual([expect.objectContaining({ field: 'headers.webhook-id' })]);
    const misdirected = await post('kemnaker', body, 'msg_legacy');
    expect(misdirected.status).toBe(403);
    expect(misdirected.body.error.message).toBe(`task ${taskId} belongs to kemensos, not kemnaker`);
  });

  it("takes another ministry's webhook under the same webhook-id for its own task (ids are unique per sender)", async () => {
    const training = (await waitForState(stack, runId, stepIs('training', 'open'))).steps[1]!.taskId!;
    const res = await post('kemnaker', { type: 'task.completed', timestamp: now(), data: { taskId: training, result: { attendancePercent: 92, passed: true } } }, 'msg_aid_done');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ taskId: training, outcome: 'completed' });
    const { state } = await getRun(stack, runId);
    expect(state.steps[1]!.attempts[0]).toMatchObject({ outcome: 'completed', closedBy: 'msg_aid_done', result: { passed: true } });
    expect(state.steps[0]!.attempts[0]).toMatchObject({ outcome: 'completed', closedBy: 'msg_aid_done', result: { transferReference: 'TRF-1' } });
  });

  it('lets the run go on after the hand-made outcome and answers 409 once the run has ended', async () => {
    const state = await waitForState(stack, runId, ended);
    expect(state.status).toBe('completed');
    const late = await post('kemensos', { type: 'task.failed', timestamp: now(), data: { taskId: aidTask, reason: 'late' } }, 'msg_late');
    expect(late.status).toBe(409);
    expect(late.body.error.task).toMatchObject({ taskId: aidTask, outcome: 'completed' });
  });

  it("answers a redelivery after the run has ended as it did the first time; the same id for another event 409, another agency's 403", async () => {
    // The ministry never got its 200 (a dropped connection) and retries once the run is over: Temporal answers an update id it knows from the run's history.
    const body = { type: 'task.completed', timestamp: now(), data: { taskId: aidTask, result: { amount: 750000, transferReference: 'TRF-1' } } };
    const again = await post('kemensos', body, 'msg_aid_done');
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ taskId: aidTask, outcome: 'completed', closedAt: (await getRun(stack, runId)).state.steps[0]!.attempts[0]!.closedAt });
    const changed = await post('kemensos', { ...body, data: { ...body.data, result: { amount: 1, transferReference: 'TRF-2' } } }, 'msg_aid_done');
    expect(changed.status).toBe(409);
    expect(changed.body.error.fields).toEqual([expect.objectContaining({ field: 'headers.webhook-id' })]);
    const misdirected = await post('kemnaker', body, 'msg_misdirected');
    expect(misdirected.status).toBe(403);
    expect(misdirected.body.error.task).toBeUndefined();
  });
});
