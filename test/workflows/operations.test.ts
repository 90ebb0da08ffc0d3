import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { graduationPlanV1 } from '../../domain/plans/graduation';
import { makeHousehold, uniqueRolloutId } from '../helpers/households';
import { ended, getRun, shortPlan, startRun, stepIs, waitForState } from '../helpers/runs';
import { simTasks } from '../helpers/sim-tasks';
import { httpJson } from '../../dev/http';
import { startStack, type Stack } from '../../dev/stack';
import { apiKeyOf } from '../../dev/stack-credentials';

describe("a manager's operations on a step, each with a reason", () => {
  let stack: Stack;
  const op = (runId: string, path: string, body: unknown, as: 'manager' | 'coordinator' = 'manager') =>
    stack.call('POST', `/v1/runs/${encodeURIComponent(runId)}/${path}`, body, as);
  const openAid = async (sla = 'PT30S') => {
    const runId = await startRun(stack, uniqueRolloutId('ops'), makeHousehold(), shortPlan(graduationPlanV1, { aid: { sla } }));
    await waitForState(stack, runId, stepIs('aid', 'open'));
    return runId;
  };

  beforeAll(async () => {
    stack = await startStack({ temporalAddress: inject('temporalAddress') });
    await stack.sims.control.kemensos.setBehaviour({ silent: true });
  });
  afterAll(() => stack?.close());

  it('extends a stuck step: no longer stuck, deadline moved, who and why recorded', async () => {
    const runId = await openAid('PT2S');
    const stuck = await waitForState(stack, runId, (s) => s.steps[0]!.stuck);
    const before = Date.parse(stuck.steps[0]!.attempts[0]!.deadline!);
    const res = await op(runId, 'steps/aid/extend', { reason: 'bank holiday week in Jember', extendBy: 'P14D' });
    expect(res.status).toBe(200);
    expect(res.body.operation).toMatchObject({ op: 'extend', stepKey: 'aid', actor: 'test-manager', reason: 'bank holiday week in Jember' });
    const state = await waitForState(stack, runId, (s) => !s.steps[0]!.stuck);
    expect(Date.parse(state.steps[0]!.attempts[0]!.deadline!)).toBe(before + 14 * 86_400_000);
  });

  it('applies an operation sent twice with one Idempotency-Key once, answering the second as the first', async () => {
    const runId = await openAid();
    const extend = () =>
      httpJson('POST', `${stack.apiUrl}/v1/runs/${encodeURIComponent(runId)}/steps/aid/extend`, { reason: 'the answer was lost, sent again', extendBy: 'P7D' }, {
        authorization: `Bearer ${apiKeyOf('manager')}`,
        'idempotency-key': `extend-${runId}`,
      });
    const first = await extend();
    expect(first.status).toBe(200);
    const second = await extend();
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    const { state } = await getRun(stack, runId);
    expect(state.operations?.filter((o) => o.op === 'extend')).toHaveLength(1);
    const rows = await stack.records.pool.query<{ n: string }>('SELECT count(*) AS n FROM operations WHERE run_id = $1', [runId]);
    expect(Number(rows.rows[0]!.n)).toBe(1);
  });

  it('retries a step as a new task at the agency', async () => {
    const runId = await openAid();
    expect((await op(runId, 'steps/aid/retry', { reason: 'the ministry lost the request' })).status).toBe(200);
    const state = await waitForState(stack, runId, (s) => s.steps[0]!.attempts.length === 2 && s.steps[0]!.status === 'open');
    expect(state.steps[0]!.attempts.map((a) => a.supersededBy)).toEqual(['retry', undefined]);
    const tasks = await simTasks(stack, 'kemensos', runId);
    expect(tasks.map((t) => t.taskId).sort()).toEqual([`${runId}:aid:1`, `${runId}:aid:2`]);
    // The superseded task is withdrawn at the agency; the new one stands.
    expect(tasks.find((t) => t.taskId.endsWith(':1'))?.cancelledAt).toBeTruthy();
    expect(tasks.find((t) => t.taskId.endsWith(':2'))?.cancelledAt).toBeUndefined();
    expect(state.steps[0]!.attempts[0]!.withdrawnAt ?? (await getRun(stack, runId)).state.steps[0]!.attempts[0]!.withdrawnAt).toBeTruthy();
  });

  it('skips a step and the plan continues', async () => {
    const runId = await openAid();
    expect((await op(runId, 'steps/aid/skip', { reason: 'aid already paid through another channel' })).status).toBe(200);
    const state = await waitForState(stack, runId, ended);
    expect(state.status).toBe('completed');
    expect(state.steps.map((s) => s.status)).toEqual(['skipped', 'completed', 'completed', 'completed', 'completed', 'completed']);
  });

  it('cancels a run', async () => {
    const runId = await openAid();
    expect((await op(runId, 'cancel', { reason: 'household moved out of the province' })).status).toBe(200);
    const state = await waitForState(stack, runId, ended);
    expect(state).toMatchObject({ status: 'cancelled', operations: [expect.objectContaining({ op: 'cancel', actor: 'test-manager' })] });
    expect(state.steps[0]).toMatchObject({ status: 'cancelled' });
    expect(state.steps[0]!.attempts[0]!.withdrawnAt).toBeTruthy();
    expect((await simTasks(stack, 'kemensos', runId))[0]?.cancelledAt).toBeTruthy();
    expect((await op(runId, 'steps/aid/retry', { reason: 'too late now' })).status).toBe(409);
  });

  it('reassigns a silent training step to the regency training centre, which finishes it', async () => {
    await stack.sims.control.kemnaker.setBehaviour({ silent: true });
    const trainingFirst = { ...graduationPlanV1, steps: graduationPlanV1.steps.filter((s) => s.key !== 'aid') };
    const runId = await startRun(stack, uniqueRolloutId('ops'), makeHousehold(), shortPlan(trainingFirst));
    await waitForState(stack, runId, stepIs('training', 'open'));
    const res = await op(runId, 'steps/training/reassign', { reason: 'BLK Jember has no tailoring intake this year', agency: 'pemda' });
    expect(res.status).toBe(200);
    const state = await waitForState(stack, runId, stepIs('training', 'completed'));
    const training = state.steps[0]!;
    expect(training.agency).toBe('pemda');
    expect(training.attempts.map((a) => [a.agency, a.supersededBy, a.outcome])).toEqual([
      ['kemnaker', 'reassign', undefined],
      ['pemda', undefined, 'completed'],
    ]);
    expect(training.attempts[1]!.result).toMatchObject({ passed: true, certificateNumber: expect.stringMatching(/^UPTD-TAILORING-BASIC-/) });
    // The first task is withdrawn at kemnaker; pemda opened the second exactly once.
    expect((await simTasks(stack, 'kemnaker', runId)).map((t) => [t.taskId, Boolean(t.cancelledAt)])).toEqual([[`${runId}:training:1`, true]]);
    expect((await simTasks(stack, 'pemda', runId)).filter((t) => t.taskId.includes(':training:')).map((t) => [t.taskId, t.opened])).toEqual([[`${runId}:training:2`, 1]]);
    // Each agency catching up reads the request of its own attempt, and only that one.
    const catchUp = (agency: 'kemnaker' | 'pemda', attempt: number) =>
      stack.call('GET', `/v1/agencies/${agency}/tasks/${encodeURIComponent(`${runId}:training:${attempt}`)}`, undefined, agency);
    expect((await catchUp('pemda', 2)).body).toMatchObject({ agency: 'pemda', attempt: 2, kind: 'job-training' });
    expect((await catchUp('kemnaker', 1)).body).toMatchObject({ agency: 'kemnaker', attempt: 1 });
    expect((await catchUp('kemnaker', 2)).status).toBe(404);
    // Nor may the new agency report on the first agency's task: it was never pemda's.
    const onFirst = await stack.webhook('pemda', `msg_on_first_${runId}`, { type: 'task.completed', timestamp: new Date().toISOString(), data: { taskId: `${runId}:training:1`, result: { attendancePercent: 100, passed: true } } });
    expect(onFirst.status).toBe(403);
    expect(onFirst.body.error.message).toBe(`task ${runId}:training:1 belongs to kemnaker, not pemda`);
    expect((await getRun(stack, runId)).state.steps[0]!.attempts[0]!.outcome).toBeUndefined();
    // Reassigning to an agency that cannot train is refused.
    const other = await startRun(stack, uniqueRolloutId('ops'), makeHousehold(), shortPlan(trainingFirst));
    await waitForState(stack, other, stepIs('training', 'open'));
    expect((await op(other, 'steps/training/reassign', { reason: 'kemensos pays, it does not train', agency: 'kemensos' })).status).toBe(409);
  });

  it('refuses an operation without a reason (400), by a coordinator (403), on a step that is not open (409)', async () => {
    const runId = await openAid();
    const noReason = await op(runId, 'steps/aid/skip', {});
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.fields.map((f: { field: string }) => f.field)).toEqual(['body.reason']);
    expect((await op(runId, 'steps/aid/skip', { reason: 'coordinators may not' }, 'coordinator')).status).toBe(403);
    const notOpen = await op(runId, 'steps/training/skip', { reason: 'not yet there' });
    expect(notOpen.status).toBe(409);
    expect((await op(runId, 'steps/aid/reassign', { reason: 'pemda cannot pay aid', agency: 'pemda' })).status).toBe(409);
    expect((await op(runId, 'steps/aid/extend', { reason: 'no duration' })).status).toBe(400);
    const { state } = await getRun(stack, runId);
    expect(state.operations ?? []).toEqual([]);
    expect(state.steps[0]!.status).toBe('open');
  });

  it('holds a failed step, stuck, until a manager decides', async () => {
    const runId = await openAid();
    const taskId = `${runId}:aid:1`;
    const failed = await stack.webhook('kemensos', `msg_fail_${runId}`, { type: 'task.failed', timestamp: new Date().toISOString(), data: { taskId, reason: 'bank transfer system down' } });
    expect(failed.status).toBe(200);
    const stuck = await waitForState(stack, runId, (s) => s.steps[0]!.status === 'failed' && s.steps[0]!.stuck);
    expect(stuck.status).toBe('running');
    expect((await op(runId, 'steps/aid/retry', { reason: 'the bank is back' })).status).toBe(200);
    const state = await waitForState(stack, runId, (s) => s.steps[0]!.attempts.length === 2);
    expect(state.steps[0]!.stuck).toBe(false);
    expect(state.steps[0]!.attempts[0]).toMatchObject({ outcome: 'failed', supersededBy: 'retry' });
  });
});
