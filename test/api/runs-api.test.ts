import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { z } from 'zod';
import { OperatedRunSchema, RunViewSchema } from '../../api/runs/run-responses';
import { graduationPlanV1 } from '../../domain/plans/graduation';
import { makeHousehold, uniqueRolloutId } from '../helpers/households';
import { eventually } from '../../dev/http';
import { ended, householdKeyOf, runIdFor, shortPlan, startRun, stepIs, waitForState } from '../helpers/runs';
import { runStartAttributes } from '../../workflows/enrolment';
import { householdRun } from '../../workflows/household-run';
import type { HouseholdRunInput } from '../../workflows/household-run-input';
import { startStack, type Stack } from '../../dev/stack';

/** The body as its documented schema reads it, unchanged: every field is documented, none is missing or of another type. */
function expectDocumented(schema: z.ZodType, body: unknown) {
  expect(schema.parse(body)).toStrictEqual(body);
}

describe('runs API', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ temporalAddress: inject('temporalAddress') });
    // Runs wait at their first step, so listing by step is deterministic.
    await stack.sims.control.kemensos.setBehaviour({ silent: true });
  });
  afterAll(() => stack?.close());

  it('answers bad input with 400 naming each field', async () => {
    const household = { ...makeHousehold(), headNik: '3509019913850003', decile: 11 };
    const res = await stack.call('POST', `/v1/runs`, { rolloutId: 'Bad Id', household });
    expect(res.status).toBe(400);
    expect(res.body.error.fields.map((f: { field: string }) => f.field).sort()).toEqual(['body.household.decile', 'body.household.headNik', 'body.rolloutId']);

    const notJson = await stack.call('POST', `/v1/runs`, '{"rolloutId":');
    expect(notJson.status).toBe(400);
  });

  it('refuses a plan that fails validation and starts nothing', async () => {
    const rolloutId = uniqueRolloutId('badplan');
    const household = makeHousehold();
    const plan = shortPlan(graduationPlanV1, { training: { agency: 'kemenkop', sla: 'P1M' } });
    const res = await stack.call('POST', `/v1/runs`, { rolloutId, household, plan });
    expect(res.status).toBe(400);
    expect(res.body.error.fields.map((f: { field: string }) => f.field).sort()).toEqual(['body.plan.steps.1.agency', 'body.plan.steps.1.sla']);
    expect((await stack.call('GET', `/v1/runs/${encodeURIComponent(runIdFor(rolloutId, household))}`)).status).toBe(404);
  });

  it("refuses an inline plan whose step parameters do not suit the agency, naming the field, and starts nothing", async () => {
    const rolloutId = uniqueRolloutId('badparams');
    const household = makeHousehold();
    const plan = shortPlan(graduationPlanV1, { training: { parameters: {} } });
    const res = await stack.call('POST', `/v1/runs`, { rolloutId, household, plan });
    expect(res.status).toBe(400);
    expect(res.body.error.fields.map((f: { field: string }) => f.field)).toEqual(['body.plan.steps.1.parameters.course']);
    expect((await stack.call('GET', `/v1/runs/${encodeURIComponent(runIdFor(rolloutId, household))}`)).status).toBe(404);
  });

  it('answers 404 for an unknown run and 409 for the same household twice in one rollout', async () => {
    expect((await stack.call('GET', `/v1/runs/${encodeURIComponent('run:nope:3509010000000001')}`)).status).toBe(404);
    expect((await stack.call('GET', `/v1/runs/not-a-run-id`)).status).toBe(400);

    const rolloutId = uniqueRolloutId('twice');
    const household = makeHousehold();
    await startRun(stack, rolloutId, household);
    const again = await stack.call('POST', `/v1/runs`, { rolloutId, household });
    expect(again.status).toBe(409);
    // Another rollout of the same program may not while that run is active: one active run per program.
    const other = await stack.call('POST', `/v1/runs`, { rolloutId: uniqueRolloutId('other'), household });
    expect(other.status).toBe(422);
    expect(other.body.error.reason).toBe('already-enrolled');
  });

  it('lists runs by rollout, step, agency, status and region through visibility', async () => {
    const rolloutId = uniqueRolloutId('list');
    const inMalang = [makeHousehold({ region: '35.07.01.2001' }), makeHousehold({ region: '35.07.02.2002' })];
    const inBlitar = makeHousehold({ region: '35.05.01.2001' });
    const runIds = [];
    for (const h of [...inMalang, inBlitar]) runIds.push(await startRun(stack, rolloutId, h, shortPlan(graduationPlanV1)));
    for (const id of runIds) await waitForState(stack, id, stepIs('aid', 'open'));

    const list = (query: string) =>
      eventually(async () => {
        const res = await stack.call('GET', `/v1/runs?rollout=${rolloutId}&${query}`);
        return res.status === 200 && res.body.runs.length > 0 ? (res.body.runs as { runId: string; currentStep: string; region: string }[]) : undefined;
      });
    await eventually(async () => {
      const res = await stack.call('GET', `/v1/runs?rollout=${rolloutId}&step=aid&agency=kemensos&status=running`);
      return res.body.runs.length === 3 ? true : undefined;
    });
    const regency = await list('region=35.07');
    expect(regency.map((r) => r.runId).sort()).toEqual(runIds.slice(0, 2).sort());
    expect(regency.every((r) => r.currentStep === 'aid')).toBe(true);

    const none = await stack.call('GET', `/v1/runs?rollout=${rolloutId}&step=training`);
    expect(none.body.runs).toEqual([]);
    const bad = await stack.call('GET', `/v1/runs?agency=bank&region=35.x`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: { field: string }) => f.field).sort()).toEqual(['query.agency', 'query.region']);
  });

  it('marks a step stuck once its SLA passes in silence, listable by the Stuck search attribute', async () => {
    const rolloutId = uniqueRolloutId('sla');
    const runId = await startRun(stack, rolloutId, makeHousehold(), shortPlan(graduationPlanV1, { aid: { sla: 'PT2S' } }));
    const state = await waitForState(stack, runId, (s) => s.steps[0]!.stuck);
    expect(state.steps[0]).toMatchObject({ key: 'aid', status: 'open', stuck: true });
    const stuck = await eventually(async () => {
      const res = await stack.call('GET', `/v1/runs?rollout=${rolloutId}&stuck=true`);
      return res.body.runs.length ? res.body.runs : undefined;
    });
    expect(stuck).toEqual([expect.objectContaining({ runId, stuck: true, currentStep: 'aid', currentAgency: 'kemensos' })]);
    expect(Date.parse(stuck[0].stuckSince)).toBeGreaterThanOrEqual(Date.parse(state.steps[0]!.attempts[0]!.deadline!) - 1000);
  });

  it("answers a run's state, and each operation, exactly as the document describes them", async () => {
    const household = makeHousehold();
    const runId = await startRun(stack, uniqueRolloutId('documented'), household, shortPlan(graduationPlanV1, { aid: { sla: 'PT2S' } }));
    const path = `/v1/runs/${encodeURIComponent(runId)}`;
    await waitForState(stack, runId, (s) => s.steps[0]!.stuck);
    const operate = async (op: string, body: object) => {
      const res = await stack.call('POST', `${path}/${op}`, { reason: `documented ${op}`, ...body }, 'manager');
      expect(res.status, op).toBe(200);
      expectDocumented(OperatedRunSchema, res.body);
    };
    await operate('steps/aid/extend', { extendBy: 'PT1H' });
    await operate('steps/aid/retry', {});
    const second = (await waitForState(stack, runId, (s) => s.steps[0]!.attempts[1]?.deadline !== undefined)).steps[0]!.attempts[1]!;
    const at = () => new Date().toISOString();
    expect((await stack.webhook('kemensos', `msg_doc_progress_${runId}`, { type: 'task.progress', timestamp: at(), data: { taskId: second.taskId, progress: { verifiedPercent: 50 } } })).status).toBe(200);
    const done = { type: 'task.completed', timestamp: at(), data: { taskId: second.taskId, result: { amount: 750000, transferReference: 'TRF-DOC' } } };
    expect((await stack.webhook('kemensos', `msg_doc_done_${runId}`, done)).status).toBe(200);
    await waitForState(stack, runId, ended);

    const run = await stack.call('GET', path, undefined, 'viewer');
    expectDocumented(RunViewSchema, run.body);
    const { state } = RunViewSchema.parse(run.body);
    // What the document had only in outline before: superseded, withdrawn and noticed attempts, progress, operations, welfare.
    const [first, retried] = state.steps[0]!.attempts;
    expect(first).toMatchObject({ supersededBy: 'retry', withdrawnAt: expect.any(String), notices: expect.arrayContaining([expect.objectContaining({ kind: 'breach' })]) });
    expect(retried).toMatchObject({ outcome: 'completed', result: { transferReference: 'TRF-DOC' }, progress: [expect.objectContaining({ kind: 'progress' })] });
    expect(state.operations?.map((o) => o.op)).toEqual(['extend', 'retry']);
    expect(state).toMatchObject({ status: 'completed', householdId: household.familyCardNumber, welfareStatus: { before: 'extreme_poor', current: 'poor' } });

    const cancelledId = await startRun(stack, uniqueRolloutId('documented-cancel'), makeHousehold());
    await waitForState(stack, cancelledId, stepIs('aid', 'open'));
    const cancel = await stack.call('POST', `/v1/runs/${encodeURIComponent(cancelledId)}/cancel`, { reason: 'documented cancel' }, 'manager');
    expectDocumented(OperatedRunSchema, cancel.body);
    expectDocumented(RunViewSchema, (await stack.call('GET', `/v1/runs/${encodeURIComponent(cancelledId)}`, undefined, 'viewer')).body);
  });

  it("finds a household's runs by KK: a run id named by KK, a task id likewise, and ?household=<KK>", async () => {
    const household = makeHousehold();
    const kk = household.familyCardNumber;
    const rolloutId = uniqueRolloutId('bykk');
    const runId = await startRun(stack, rolloutId, household, shortPlan(graduationPlanV1));
    expect(runId).toBe(runIdFor(rolloutId, household));
    expect(runId).not.toContain(kk);
    const byKk = await stack.call('GET', `/v1/runs/${encodeURIComponent(`run:${rolloutId}:${kk}`)}`, undefined, 'viewer');
    expect(byKk.status, JSON.stringify(byKk.body)).toBe(200);
    expect(byKk.body).toMatchObject({ runId, state: { runId, householdId: kk } });
    const { taskId } = (await waitForState(stack, runId, stepIs('aid', 'open'))).steps[0]!.attempts[0]!;
    expect(taskId).toBe(`${runId}:aid:1`);
    const kkTask = `run:${rolloutId}:${kk}:aid:1`;
    const request = await stack.call('GET', `/v1/agencies/kemensos/tasks/${encodeURIComponent(kkTask)}`, undefined, 'kemensos');
    expect(request.status, JSON.stringify(request.body)).toBe(200);
    expect(request.body).toMatchObject({ taskId, runId });
    const acknowledged = await stack.webhook('kemensos', `msg_bykk_${rolloutId}`, { type: 'task.acknowledged', timestamp: new Date().toISOString(), data: { taskId: kkTask } });
    expect(acknowledged.status, JSON.stringify(acknowledged.body)).toBe(200);
    expect(acknowledged.body).toEqual({ taskId, recorded: 'task.acknowledged' });

    const listed = await eventually(async () => {
      const res = await stack.call('GET', `/v1/runs?household=${kk}`, undefined, 'viewer');
      return res.status === 200 && res.body.runs.length ? res.body : undefined;
    });
    expect(listed.runs).toEqual([expect.objectContaining({ runId, rolloutId, householdKey: householdKeyOf(kk) })]);
    expect(JSON.stringify(listed)).not.toContain(kk);
    const bad = await stack.call('GET', '/v1/runs?household=3509-0101', undefined, 'viewer');
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: { field: string }) => f.field)).toEqual(['query.household']);
  });

  it('keeps a run started before pseudonyms (its id and HouseholdId the KK) reachable by its id, listed by KK, and counted by the screening', async () => {
    const household = makeHousehold();
    const kk = household.familyCardNumber;
    const rolloutId = uniqueRolloutId('legacy');
    const plan = { ...shortPlan(graduationPlanV1), programId: 'legacy-program' };
    // As a run was started before this change: no householdKey in its input, its KK in its id.
    const legacy: HouseholdRunInput = { runId: `run:${rolloutId}:${kk}`, rolloutId, household, plan, startedBy: 'test' };
    await stack.client.workflow.start(householdRun, { workflowId: legacy.runId, taskQueue: stack.taskQueue, args: [legacy], typedSearchAttributes: runStartAttributes(legacy) });
    await waitForState(stack, legacy.runId, stepIs('aid', 'open'));
    expect((await stack.call('GET', `/v1/runs/${encodeURIComponent(legacy.runId)}`, undefined, 'viewer')).body).toMatchObject({ runId: legacy.runId, state: { householdId: kk } });

    // Sharing the legacy run's step kinds, flagged rather than excluded for it.
    const later = await startRun(stack, uniqueRolloutId('after-legacy'), household, { ...shortPlan(graduationPlanV1), overlapPolicy: 'flag' });
    const both = await eventually(async () => {
      const res = await stack.call('GET', `/v1/runs?household=${kk}`, undefined, 'viewer');
      return res.body.runs?.length === 2 ? (res.body.runs as { runId: string; householdKey: string }[]) : undefined;
    });
    expect(both.map((r) => [r.runId, r.householdKey]).sort()).toEqual(
      [
        [legacy.runId, kk],
        [later, householdKeyOf(kk)],
      ].sort(),
    );
    // The legacy run holds its household in its program: another run of it is refused, as one started since would be.
    const again = await stack.call('POST', '/v1/runs', { rolloutId: uniqueRolloutId('again'), household, plan });
    expect(again.status, JSON.stringify(again.body)).toBe(422);
    expect(again.body.error).toMatchObject({ reason: 'already-enrolled', detail: `active run ${legacy.runId}` });
    // In its own rollout too: the household has a run there, under its old id.
    const twice = await stack.call('POST', '/v1/runs', { rolloutId, household, plan: { ...plan, programId: 'legacy-other' } });
    expect(twice.status, JSON.stringify(twice.body)).toBe(409);
    const cancelled = await stack.call('POST', `/v1/runs/${encodeURIComponent(legacy.runId)}/cancel`, { reason: 'test: legacy run' }, 'manager');
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    expect(cancelled.body.runId).toBe(legacy.runId);
  });

  it('publishes its OpenAPI document, generated from the request schemas', async () => {
    const res = await stack.call('GET', `/v1/openapi.json`);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.paths).sort()).toEqual([
      '/healthz',
      '/metrics',
      '/readyz',
      '/v1/agencies/{agency}/tasks',
      '/v1/agencies/{agency}/tasks/{taskId}',
      '/v1/audit/exports',
      '/v1/audit/personal-data',
      '/v1/bulk-operations',
      '/v1/bulk-operations/preview',
      '/v1/bulk-operations/{id}',
      '/v1/codec/decode',
      '/v1/codec/encode',
      '/v1/cohorts',
      '/v1/cohorts/{id}',
      '/v1/openapi.json',
      '/v1/programs',
      '/v1/programs/{programId}',
      '/v1/programs/{programId}/versions/{version}',
      '/v1/rollouts',
      '/v1/rollouts/preview',
      '/v1/rollouts/{id}',
      '/v1/rollouts/{id}/cancel',
      '/v1/rollouts/{id}/graduation',
      '/v1/rollouts/{id}/pause',
      '/v1/rollouts/{id}/report-with-personal-data.csv',
      '/v1/rollouts/{id}/report.csv',
      '/v1/rollouts/{id}/resume',
      '/v1/runs',
      '/v1/runs/{id}',
      '/v1/runs/{id}/cancel',
      '/v1/runs/{id}/graduation/decision',
      '/v1/runs/{id}/steps/{key}/extend',
      '/v1/runs/{id}/steps/{key}/reassign',
      '/v1/runs/{id}/steps/{key}/retry',
      '/v1/runs/{id}/steps/{key}/skip',
      '/v1/session',
      '/v1/stuck',
      '/v1/webhooks/{agency}',
    ]);
    expect(res.body.paths['/v1/runs'].post.requestBody.content['application/json'].schema.required).toEqual(['rolloutId', 'household']);
    expect(Object.keys(res.body.paths['/v1/rollouts']).sort()).toEqual(['get', 'post']);
  });

  it('is healthy and ready while Temporal answers', async () => {
    expect((await stack.call('GET', `/healthz`)).status).toBe(200);
    expect((await stack.call('GET', `/readyz`)).body).toMatchObject({ status: 'ready' });
  });
});
