import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { graduationPlanV1 } from '../../domain/plans/graduation';
import { eventually } from '../../dev/http';
import { makeHousehold, uniqueRolloutId } from '../helpers/households';
import { getRun, shortPlan, startRun } from '../helpers/runs';
import { startStack, type Stack } from '../../dev/stack';

describe('a bulk operation over a filter', () => {
  let stack: Stack;
  const rolloutId = uniqueRolloutId('bulk');
  const runs: Record<'a' | 'b' | 'elsewhere' | 'notStuck', string> = { a: '', b: '', elsewhere: '', notStuck: '' };

  beforeAll(async () => {
    stack = await startStack({ temporalAddress: inject('temporalAddress') });
    await stack.sims.control.kemensos.setBehaviour({ silent: true });
    const quick = shortPlan(graduationPlanV1, { aid: { sla: 'PT2S' } });
    runs.a = await startRun(stack, rolloutId, makeHousehold({ region: '35.09.01.2001' }), quick);
    runs.b = await startRun(stack, rolloutId, makeHousehold({ region: '35.09.02.2002' }), quick);
    runs.elsewhere = await startRun(stack, rolloutId, makeHousehold({ region: '35.07.01.2001' }), quick);
    runs.notStuck = await startRun(stack, rolloutId, makeHousehold({ region: '35.09.01.2001' }), shortPlan(graduationPlanV1, { aid: { sla: 'P1D' } }));
    await eventually(async () => ((await stack.call('GET', `/v1/stuck?rollout=${rolloutId}`, undefined, 'manager')).body.total === 3 ? true : undefined), 30_000, 'three stuck');
  });
  afterAll(() => stack?.close());

  it('previews how many runs it would touch, then extends every stuck aid step in regency 35.09 and touches exactly those runs', async () => {
    const body = { filter: { rollout: rolloutId, step: 'aid', region: '35.09', stuck: 'true' }, op: 'extend', reason: 'disbursement window moved by the ministry', extendBy: 'P14D' };
    // The stuck list reads the records store; the bulk operation (and its preview) match through visibility, which may trail it by a moment.
    const preview = await eventually(async () => {
      const res = await stack.call('POST', '/v1/bulk-operations/preview', body, 'manager');
      return res.status !== 200 || res.body.matched >= 2 ? res : undefined;
    }, 30_000, 'the stuck runs in visibility');
    expect(preview.status).toBe(200);
    expect(preview.body).toEqual({ matched: 2, filter: body.filter });
    // The preview started nothing: no run carries an operation yet.
    for (const id of Object.values(runs)) expect((await getRun(stack, id)).state.operations ?? []).toEqual([]);

    const started = await stack.call('POST', '/v1/bulk-operations', body, 'manager');
    expect(started.status).toBe(202);
    const done = await eventually(async () => {
      const res = await stack.call('GET', `/v1/bulk-operations/${encodeURIComponent(started.body.operationId)}`, undefined, 'viewer');
      return res.body.status === 'COMPLETED' ? res.body : undefined;
    }, 30_000, 'bulk operation done');
    expect(done.result).toEqual({ matched: preview.body.matched, done: 2, applied: 2, refused: 0, refusals: [] });

    for (const id of [runs.a, runs.b]) {
      const { state } = await getRun(stack, id);
      expect(state.operations).toEqual([expect.objectContaining({ op: 'extend', stepKey: 'aid', actor: 'test-manager', reason: 'disbursement window moved by the ministry' })]);
      expect(state.steps[0]!.stuck).toBe(false);
    }
    for (const id of [runs.elsewhere, runs.notStuck]) expect((await getRun(stack, id)).state.operations ?? []).toEqual([]);
  });

  it('refuses a bulk step operation or its preview without its step (400) and from a coordinator (403)', async () => {
    const noStep = await stack.call('POST', '/v1/bulk-operations', { filter: { rollout: rolloutId }, op: 'skip', reason: 'no step given' }, 'manager');
    expect(noStep.status).toBe(400);
    expect(noStep.body.error.fields.map((f: { field: string }) => f.field)).toEqual(['body.filter.step']);
    const coordinator = await stack.call('POST', '/v1/bulk-operations', { filter: { step: 'aid' }, op: 'skip', reason: 'not allowed' }, 'coordinator');
    expect(coordinator.status).toBe(403);
    const previewNoStep = await stack.call('POST', '/v1/bulk-operations/preview', { filter: { rollout: rolloutId }, op: 'skip', reason: 'no step given' }, 'manager');
    expect(previewNoStep.status).toBe(400);
    expect(previewNoStep.body.error.fields.map((f: { field: string }) => f.field)).toEqual(['body.filter.step']);
    expect((await stack.call('POST', '/v1/bulk-operations/preview', { filter: { step: 'aid' }, op: 'skip', reason: 'not allowed' }, 'coordinator')).status).toBe(403);
  });
});
