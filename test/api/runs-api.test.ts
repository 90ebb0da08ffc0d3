import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { graduationPlan } from '../../domain/plans/graduation';
import { makeHousehold, uniqueRolloutId } from '../helpers/households';
import { eventually } from '../../dev/http';
import { shortPlan, startRun, stepIs, waitForState } from '../helpers/runs';
import { startStack, type Stack } from '../../dev/stack';

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
    const plan = shortPlan(graduationPlan, { training: { agency: 'kemenkop', sla: 'P1M' } });
    const res = await stack.call('POST', `/v1/runs`, { rolloutId, household, plan });
    expect(res.status).toBe(400);
    expect(res.body.error.fields.map((f: { field: string }) => f.field).sort()).toEqual(['body.plan.steps.1.agency', 'body.plan.steps.1.sla']);
    const runId = `run:${rolloutId}:${household.familyCardNumber}`;
    expect((await stack.call('GET', `/v1/runs/${encodeURIComponent(runId)}`)).status).toBe(404);
  });

  it("refuses an inline plan whose step parameters do not suit the agency, naming the field, and starts nothing", async () => {
    const rolloutId = uniqueRolloutId('badparams');
    const household = makeHousehold();
    const plan = shortPlan(graduationPlan, { training: { parameters: {} } });
    const res = await stack.call('POST', `/v1/runs`, { rolloutId, household, plan });
    expect(res.status).toBe(400);
    expect(res.body.error.fields.map((f: { field: string }) => f.field)).toEqual(['body.plan.steps.1.parameters.course']);
    const runId = `run:${rolloutId}:${household.familyCardNumber}`;
    expect((await stack.call('GET', `/v1/runs/${encodeURIComponent(runId)}`)).status).toBe(404);
  });

  it('answers 404 for an unknown run and 409 for the same household twice in one rollout', async () => {
    expect((await stack.call('GET', `/v1/runs/${encodeURIComponent('run:nope:3509010000000001')}`)).status).toBe(404);
    expect((await stack.call('GET', `/v1/runs/not-a-run-id`)).status).toBe(400);

    const rolloutId = uniqueRolloutId('twice');
    const household = makeHousehold();
    await startRun(stack, rolloutId, household);
    const again = await stack.call('POST', `/v1/runs`, { rolloutId, household });
    expect(again.status).toBe(409);
    // Another rollout may enrol the same household.
    expect(await startRun(stack, uniqueRolloutId('other'), household)).toBeTruthy();
  });

  it('lists runs by rollout, step, agency, status and region through visibility', async () => {
    const rolloutId = uniqueRolloutId('list');
    const inMalang = [makeHousehold({ region: '35.07.01.2001' }), makeHousehold({ region: '35.07.02.2002' })];
    const inBlitar = makeHousehold({ region: '35.05.01.2001' });
    const runIds = [];
    for (const h of [...inMalang, inBlitar]) runIds.push(await startRun(stack, rolloutId, h, shortPlan(graduationPlan)));
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
    const runId = await startRun(stack, rolloutId, makeHousehold(), shortPlan(graduationPlan, { aid: { sla: 'PT2S' } }));
    const state = await waitForState(stack, runId, (s) => s.steps[0]!.stuck);
    expect(state.steps[0]).toMatchObject({ key: 'aid', status: 'open', stuck: true });
    const stuck = await eventually(async () => {
      const res = await stack.call('GET', `/v1/runs?rollout=${rolloutId}&stuck=true`);
      return res.body.runs.length ? res.body.runs : undefined;
    });
    expect(stuck).toEqual([expect.objectContaining({ runId, stuck: true, currentStep: 'aid', currentAgency: 'kemensos' })]);
    expect(Date.parse(stuck[0].stuckSince)).toBeGreaterThanOrEqual(Date.parse(state.steps[0]!.attempts[0]!.deadline!) - 1000);
  });

  it('publishes its OpenAPI document, generated from the request schemas', async () => {
    const res = await stack.call('GET', `/v1/openapi.json`);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.paths).sort()).toEqual([
      '/healthz',
      '/readyz',
      '/v1/agencies/{agency}/tasks',
      '/v1/agencies/{agency}/tasks/{taskId}',
      '/v1/bulk-operations',
      '/v1/bulk-operations/preview',
      '/v1/bulk-operations/{id}',
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
      '/v1/rollouts/{id}/pause',
      '/v1/rollouts/{id}/report.csv',
      '/v1/rollouts/{id}/resume',
      '/v1/runs',
      '/v1/runs/{id}',
      '/v1/runs/{id}/cancel',
      '/v1/runs/{id}/steps/{key}/{op}',
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
