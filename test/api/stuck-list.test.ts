import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { graduationPlanV1 } from '../../domain/plans/graduation';
import { eventually } from '../../dev/http';
import { makeHousehold, uniqueRolloutId } from '../helpers/households';
import { shortPlan, startRun } from '../helpers/runs';
import { startStack, type Stack } from '../../dev/stack';

describe('GET /v1/stuck', () => {
  let stack: Stack;
  const rolloutId = uniqueRolloutId('stuck');
  const runIds: Record<'a' | 'b' | 'c' | 'fresh', string> = { a: '', b: '', c: '', fresh: '' };
  const stuck = (query = '', as: 'manager' | 'kemensos' = 'manager') => stack.call('GET', `/v1/stuck?rollout=${rolloutId}&${query}`, undefined, as);

  beforeAll(async () => {
    stack = await startStack({ temporalAddress: inject('temporalAddress') });
    await stack.sims.control.kemensos.setBehaviour({ silent: true });
    await stack.sims.control.kemnaker.setBehaviour({ silent: true });
    const quickAid = shortPlan(graduationPlanV1, { aid: { sla: 'PT2S' } });
    const trainingFirst = { ...shortPlan(graduationPlanV1, { training: { sla: 'PT2S' } }), steps: shortPlan(graduationPlanV1, { training: { sla: 'PT2S' } }).steps.slice(1) };
    runIds.a = await startRun(stack, rolloutId, makeHousehold({ region: '35.07.01.2001' }), quickAid);
    await new Promise((r) => setTimeout(r, 1_000));
    runIds.b = await startRun(stack, rolloutId, makeHousehold({ region: '35.09.01.2001' }), quickAid);
    runIds.c = await startRun(stack, rolloutId, makeHousehold({ region: '35.07.02.2002' }), trainingFirst);
    runIds.fresh = await startRun(stack, rolloutId, makeHousehold({ region: '35.07.01.2001' }), shortPlan(graduationPlanV1, { aid: { sla: 'P1D' } }));
    await eventually(async () => ((await stuck()).body.total === 3 ? true : undefined), 30_000, 'three stuck runs');
  });
  afterAll(() => stack?.close());

  it('lists every stuck step oldest first, with counts per agency and regency', async () => {
    const res = await stuck();
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: { runId: string }) => i.runId).sort()).toEqual([runIds.a, runIds.b, runIds.c].sort());
    expect(res.body.items[0]).toMatchObject({ runId: runIds.a, agency: 'kemensos', step: 'aid', region: '35.07.01.2001', daysOverdue: 0, taskId: `${runIds.a}:aid:1` });
    const since = res.body.items.map((i: { stuckSince: string }) => i.stuckSince);
    expect([...since].sort()).toEqual(since);
    expect(res.body.items.map((i: { runId: string }) => i.runId)).not.toContain(runIds.fresh);
    expect(res.body.counts).toEqual({ byAgency: { kemensos: 2, kemnaker: 1 }, byRegion: { '35.07': 2, '35.09': 1 } });
  });

  it('filters by agency, region prefix, program and minimum age', async () => {
    const ids = async (q: string) => ((await stuck(q)).body.items as { runId: string }[]).map((i) => i.runId).sort();
    expect(await ids('agency=kemnaker')).toEqual([runIds.c]);
    expect(await ids('region=35.09')).toEqual([runIds.b]);
    expect(await ids('region=35.07&agency=kemensos')).toEqual([runIds.a]);
    expect(await ids('program=graduation')).toHaveLength(3);
    expect(await ids('program=other-program')).toEqual([]);
    expect(await ids('minAge=PT1H')).toEqual([]);
    // Stuck for a second by now: b and c only just were.
    await eventually(async () => ((await ids('minAge=PT1S')).length === 3 ? true : undefined), 5_000, 'all three a second old');
  });

  it('pages through the sorted list', async () => {
    const first = await stuck('pageSize=2');
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextOffset).toBe(2);
    const second = await stuck('pageSize=2&offset=2');
    expect(second.body.items).toHaveLength(1);
    expect(second.body.nextOffset).toBeUndefined();
    expect(second.body.total).toBe(3);
  });

  it('refuses bad filters (400 naming them) and a ministry (403)', async () => {
    const bad = await stuck('agency=bank&minAge=P1M&region=3');
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: { field: string }) => f.field).sort()).toEqual(['query.agency', 'query.minAge', 'query.region']);
    expect((await stuck('', 'kemensos')).status).toBe(403);
  });
});
