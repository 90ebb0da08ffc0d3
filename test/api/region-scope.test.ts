import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { graduationPlanV1 } from '../../domain/plans/graduation';
import type { Household } from '../../domain/household';
import { eventually } from '../../dev/http';
import { startStack, type Stack } from '../../dev/stack';
import { apiKeyOf, type Caller } from '../../dev/stack-credentials';
import { cohortHousehold, importCohort } from '../helpers/cohorts';
import { makeHousehold, uniqueRolloutId } from '../helpers/households';
import { getRun, shortPlan, startRun } from '../helpers/runs';

/**
 * Issue 13 part 6: a manager or coordinator of Jember (35.09) sees and acts only on households in
 * 35.09. Kabupaten Malang (35.07) is the region they must never see or touch.
 */
describe('a principal limited to regions', () => {
  let stack: Stack;
  const rolloutId = uniqueRolloutId('scope');
  const runs = { jember1: '', jember2: '', malang1: '', malang2: '' };
  const jember = () => [runs.jember1, runs.jember2].sort();
  const malang = () => [runs.malang1, runs.malang2];
  const call = (method: string, path: string, as: Caller, body?: unknown) => stack.call(method, path, body, as);
  const runPath = (id: string, tail = '') => `/v1/runs/${encodeURIComponent(id)}${tail}`;
  const idsOf = (items: { runId: string }[]) => items.map((i) => i.runId).sort();
  /** What Temporal recorded of a run: every update it accepted (an operation, a bulk operation's). */
  const updatesOf = async (runId: string) => (await stack.client.workflow.getHandle(runId).fetchHistory()).events?.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes) ?? [];

  beforeAll(async () => {
    stack = await startStack({ temporalAddress: inject('temporalAddress') });
    // Kemensos never answers: every run waits at its aid step and is stuck after two seconds.
    await stack.sims.control.kemensos.setBehaviour({ silent: true });
    const quickAid = shortPlan(graduationPlanV1, { aid: { sla: 'PT2S' } });
    runs.jember1 = await startRun(stack, rolloutId, makeHousehold({ region: '35.09.01.2001' }), quickAid);
    runs.jember2 = await startRun(stack, rolloutId, makeHousehold({ region: '35.09.02.2002' }), quickAid);
    runs.malang1 = await startRun(stack, rolloutId, makeHousehold({ region: '35.07.01.2001' }), quickAid);
    runs.malang2 = await startRun(stack, rolloutId, makeHousehold({ region: '35.07.02.2002' }), quickAid);
    await eventually(async () => ((await call('GET', `/v1/stuck?rollout=${rolloutId}`, 'manager')).body.total === 4 ? true : undefined), 30_000, 'four stuck runs');
  });
  afterAll(() => stack?.close());

  it('carries its regions in the session; a national principal has none', async () => {
    for (const [as, regions] of [['jemberManager', ['35.09']], ['manager', undefined]] as const) {
      const signIn = await stack.call('POST', '/v1/session', { apiKey: apiKeyOf(as) }, 'anonymous');
      expect(signIn.status).toBe(201);
      expect(signIn.body.principal.regions).toEqual(regions);
    }
  });

  it('gets 404 on a Malang run, with the body of a run that does not exist', async () => {
    const unknown = runs.malang1.replace(rolloutId, uniqueRolloutId('nowhere'));
    const [outside, missing] = await Promise.all([call('GET', runPath(runs.malang1), 'jemberManager'), call('GET', runPath(unknown), 'jemberManager')]);
    expect(outside.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(outside.body).toEqual(JSON.parse(JSON.stringify(missing.body).replaceAll(unknown, runs.malang1)));
    expect((await call('GET', runPath(runs.jember1), 'jemberManager')).status).toBe(200);
    expect((await call('GET', runPath(runs.malang1), 'manager')).status).toBe(200);
  });

  it('gets 404 for every operation on a Malang run, which Temporal never receives', async () => {
    const reason = { reason: 'not my region to act on' };
    const attempts = [
      ['/steps/aid/retry', reason],
      ['/steps/aid/skip', reason],
      ['/steps/aid/extend', { ...reason, extendBy: 'P7D' }],
      ['/steps/aid/reassign', { ...reason, agency: 'pemda' }],
      ['/graduation/decision', { ...reason, decision: 'graduate' }],
      ['/cancel', reason],
    ] as const;
    for (const [tail, body] of attempts) {
      const res = await call('POST', runPath(runs.malang1, tail), 'jemberManager', body);
      expect(res.status, tail).toBe(404);
      expect(res.body, tail).toEqual({ error: { code: 'not_found', message: `no run ${runs.malang1}` } });
    }
    expect(await updatesOf(runs.malang1)).toEqual([]);
    const { state } = await getRun(stack, runs.malang1);
    expect(state.status).toBe('running');
    expect(state.operations ?? []).toEqual([]);
  });

  it('lists only Jember runs, whatever region it asks for', async () => {
    const list = async (query: string, as: Caller = 'jemberManager') => {
      const res = await call('GET', `/v1/runs?rollout=${rolloutId}${query}`, as);
      expect(res.status).toBe(200);
      return idsOf(res.body.runs);
    };
    expect(await list('')).toEqual(jember());
    expect(await list('&region=35')).toEqual(jember());
    expect(await list('&region=35.09.01')).toEqual([runs.jember1]);
    expect(await list('&region=35.07')).toEqual([]);
    expect(await list('', 'manager')).toEqual([...jember(), ...malang()].sort());
  });

  it('sees only Jember in the stuck list and its counts', async () => {
    const res = await call('GET', `/v1/stuck?rollout=${rolloutId}`, 'jemberManager');
    expect(res.status).toBe(200);
    expect(idsOf(res.body.items)).toEqual(jember());
    expect(res.body.total).toBe(2);
    expect(res.body.counts).toEqual({ byAgency: { kemensos: 2 }, byRegion: { '35.09': 2 } });
    const malangOnly = await call('GET', `/v1/stuck?rollout=${rolloutId}&region=35.07`, 'jemberManager');
    expect(malangOnly.body).toMatchObject({ total: 0, items: [], counts: { byAgency: {}, byRegion: {} } });
    const national = await call('GET', `/v1/stuck?rollout=${rolloutId}`, 'manager');
    expect(national.body.counts.byRegion).toEqual({ '35.07': 2, '35.09': 2 });
  });

  it("reads an agency's open tasks in Jember only", async () => {
    const national = await call('GET', `/v1/stuck?rollout=${rolloutId}`, 'manager');
    const taskOf = (runId: string) => (national.body.items as { runId: string; taskId: string }[]).find((i) => i.runId === runId)!.taskId;
    const taskPath = (runId: string) => `/v1/agencies/kemensos/tasks/${encodeURIComponent(taskOf(runId))}`;
    expect((await call('GET', taskPath(runs.jember1), 'jemberManager')).status).toBe(200);
    const outside = await call('GET', taskPath(runs.malang1), 'jemberManager');
    expect(outside.status).toBe(404);
    expect(outside.body).toEqual({ error: { code: 'not_found', message: `no kemensos task ${taskOf(runs.malang1)}` } });
    expect((await call('GET', taskPath(runs.malang1), 'manager')).status).toBe(200);
    // Every open kemensos task of every test on this server, a page at a time: none outside Jember.
    const regions = new Set<string>();
    for (let token: string | undefined, first = true; first || token; first = false) {
      const page = await call('GET', `/v1/agencies/kemensos/tasks?pageSize=500${token ? `&pageToken=${token}` : ''}`, 'jemberManager');
      expect(page.status).toBe(200);
      for (const task of page.body.tasks as { region: string }[]) regions.add(task.region.slice(0, 5));
      token = page.body.nextPageToken;
    }
    expect([...regions]).toEqual(['35.09']);
  });

  it('starts a bulk operation that never touches Malang, even with a filter covering both regions', async () => {
    const body = { filter: { rollout: rolloutId, step: 'aid', region: '35' }, op: 'extend', reason: 'the regency office asked for a week more', extendBy: 'P7D' };
    const preview = await call('POST', '/v1/bulk-operations/preview', 'jemberManager', body);
    expect(preview.body).toEqual({ matched: 2, filter: body.filter, regions: ['35.09'] });
    const started = await call('POST', '/v1/bulk-operations', 'jemberManager', body);
    expect(started.status).toBe(202);
    expect(started.body.query).toContain("(Region STARTS_WITH '35.09')");
    const path = `/v1/bulk-operations/${encodeURIComponent(started.body.operationId)}`;
    const done = await eventually(async () => {
      const res = await call('GET', path, 'jemberManager');
      return res.body.status === 'COMPLETED' ? res.body : undefined;
    }, 30_000, 'bulk operation done');
    expect(done.result).toEqual({ matched: 2, done: 2, applied: 2, refused: 0, refusals: [] });
    for (const id of jember()) {
      expect((await getRun(stack, id)).state.operations).toEqual([expect.objectContaining({ op: 'extend', actor: 'test-manager-jember' })]);
    }
    for (const id of malang()) {
      expect(await updatesOf(id)).toEqual([]);
      expect((await getRun(stack, id)).state.operations ?? []).toEqual([]);
    }
    // A filter naming Malang alone matches nothing: an empty answer, not an error.
    const elsewhere = await call('POST', '/v1/bulk-operations/preview', 'jemberManager', { ...body, filter: { ...body.filter, region: '35.07' } });
    expect(elsewhere.body).toMatchObject({ matched: 0, regions: [] });
    // A national manager sees the Jember operation too.
    expect((await call('GET', path, 'manager')).status).toBe(200);
  });

  it('gets 404 on a bulk operation that may touch runs outside its regions, as on one that does not exist', async () => {
    // A national manager's, on Malang and on every region; of a rollout with no runs, so nothing changes.
    for (const filter of [{ rollout: `${rolloutId}-none`, region: '35.07' }, { rollout: `${rolloutId}-none` }]) {
      const started = await call('POST', '/v1/bulk-operations', 'manager', { filter, op: 'cancel', reason: 'the national desk closes these' });
      expect(started.status).toBe(202);
      const path = `/v1/bulk-operations/${encodeURIComponent(started.body.operationId)}`;
      expect((await call('GET', path, 'manager')).status).toBe(200);
      const hidden = await call('GET', path, 'jemberManager');
      expect(hidden.status).toBe(404);
      expect(hidden.body).toEqual({ error: { code: 'not_found', message: `no bulk operation ${started.body.operationId}` } });
    }
    const unknown = await call('GET', '/v1/bulk-operations/bulk:none-such-operation', 'jemberManager');
    expect(unknown.body).toEqual({ error: { code: 'not_found', message: 'no bulk operation bulk:none-such-operation' } });
  });

  it("may not read the audits, which cover every region's exports and their reasons (403); a national manager may", async () => {
    for (const path of ['/v1/audit/personal-data', '/v1/audit/exports']) {
      const refused = await call('GET', path, 'jemberManager');
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toMatch(/limited to regions/);
      expect(refused.body.items).toBeUndefined();
      expect((await call('GET', path, 'manager')).status).toBe(200);
    }
  });

  it('refuses to start a run for a household outside its regions (403 naming body.household.region)', async () => {
    const outside = await call('POST', '/v1/runs', 'jemberCoordinator', { rolloutId, household: makeHousehold({ region: '35.07.03.2003' }), programId: 'graduation', version: 1 });
    expect(outside.status).toBe(403);
    expect(outside.body.error.fields.map((f: { field: string }) => f.field)).toEqual(['body.household.region']);
    const inside = await call('POST', '/v1/runs', 'jemberCoordinator', { rolloutId: uniqueRolloutId('scope-own'), household: makeHousehold({ region: '35.09.03.2003' }), programId: 'graduation', version: 1 });
    expect(inside.status, JSON.stringify(inside.body)).toBe(201);
  });

  describe('rollouts', () => {
    const mixedRollout = uniqueRolloutId('scope-mixed');
    const households: Household[] = [];
    let mixedCohort = '';

    beforeAll(async () => {
      for (const region of ['35.09.01.2001', '35.09.02.2002', '35.09.01.2003', '35.07.01.2001', '35.07.02.2002']) households.push(cohortHousehold({ region }));
      mixedCohort = await importCohort(stack, households);
      const started = await call('POST', '/v1/rollouts', 'coordinator', { rolloutId: mixedRollout, cohortId: mixedCohort, programId: 'graduation', version: 1 });
      expect(started.status, JSON.stringify(started.body)).toBe(201);
      await eventually(async () => ((await call('GET', `/v1/rollouts/${mixedRollout}`, 'manager')).body.starting?.allStarted ? true : undefined), 60_000, 'all runs started');
      await eventually(async () => ((await call('GET', `/v1/rollouts/${mixedRollout}`, 'manager')).body.runs?.total === 5 ? true : undefined), 30_000, 'five runs visible');
    });

    it('refuses to preview or start a rollout of a cohort with households outside its regions (403 naming cohortId and the regencies)', async () => {
      const request = { cohortId: mixedCohort, programId: 'graduation', version: 1 };
      for (const [path, body] of [['/v1/rollouts/preview', request], ['/v1/rollouts', { ...request, rolloutId: uniqueRolloutId('scope-refused') }]] as const) {
        const res = await call('POST', path, 'jemberCoordinator', body);
        expect(res.status, path).toBe(403);
        expect(res.body.error.fields.map((f: { field: string }) => f.field)).toEqual(['body.cohortId']);
        expect(res.body.error.foreignRegencies).toEqual(['35.07']);
        expect(res.body.error.message).toContain('35.07');
      }
      const ownCohort = await importCohort(stack, [cohortHousehold({ region: '35.09.04.2004' })]);
      const own = await call('POST', '/v1/rollouts/preview', 'jemberCoordinator', { ...request, cohortId: ownCohort });
      expect(own.status, JSON.stringify(own.body)).toBe(200);
      // The cohort's report names its households: read only when all are in Jember.
      expect((await call('GET', `/v1/cohorts/${mixedCohort}`, 'jemberCoordinator')).status).toBe(404);
      expect((await call('GET', `/v1/cohorts/${mixedCohort}`, 'coordinator')).status).toBe(200);
      expect((await call('GET', `/v1/cohorts/${ownCohort}`, 'jemberCoordinator')).status).toBe(200);
    });

    it('counts rollout progress over Jember alone, and says so', async () => {
      const scoped = await call('GET', `/v1/rollouts/${mixedRollout}`, 'jemberManager');
      expect(scoped.status).toBe(200);
      expect(scoped.body).toMatchObject({
        regions: ['35.09'],
        households: 3,
        starting: { read: 3, started: 3, allStarted: true },
        runs: { total: 3, running: 3 },
        regencies: [{ regency: '35.09', households: 3 }],
      });
      const national = await call('GET', `/v1/rollouts/${mixedRollout}`, 'manager');
      expect(national.body.regions).toBeUndefined();
      expect(national.body).toMatchObject({ households: 5, starting: { read: 5, started: 5 }, runs: { total: 5 } });
      expect(national.body.regencies).toEqual([{ regency: '35.07', households: 2 }, { regency: '35.09', households: 3 }]);
      const graduation = await call('GET', `/v1/rollouts/${mixedRollout}/graduation`, 'jemberManager');
      expect(graduation.body).toMatchObject({ rolloutId: mixedRollout, regions: ['35.09'] });
    });

    it('lists the rollout with its Jember households only', async () => {
      // Every page: the suite's other files start rollouts on the same server, newer ones first.
      const listed = await eventually(async () => {
        let token: string | undefined;
        do {
          const res = await call('GET', `/v1/rollouts?pageSize=100${token ? `&pageToken=${token}` : ''}`, 'jemberManager');
          if (res.body.rollouts?.find((r: { rolloutId: string }) => r.rolloutId === mixedRollout)) return res.body;
          token = res.body.nextPageToken;
        } while (token);
        return undefined;
      }, 20_000, 'the rollout listed');
      expect(listed.regions).toEqual(['35.09']);
      expect(listed.rollouts.find((r: { rolloutId: string }) => r.rolloutId === mixedRollout).households).toBe(3);
    });

    it('writes report lines for Jember households only', async () => {
      const lines = async (as: Caller) => {
        const res = await stack.text(`/v1/rollouts/${mixedRollout}/report.csv`, as);
        expect(res.status).toBe(200);
        return res.text.replace(/^\uFEFF/, '').trim().split(/\r?\n/).slice(1);
      };
      const kkOf = (line: string) => line.split(',')[0];
      const jemberKks = households.filter((h) => h.region.startsWith('35.09.')).map((h) => h.familyCardNumber).sort();
      expect((await lines('jemberManager')).map(kkOf).sort()).toEqual(jemberKks);
      expect(await lines('manager')).toHaveLength(5);
    });

    it('may not pause, resume or cancel a rollout reaching outside its regions (403), and finds none without a household there (404)', async () => {
      for (const action of ['pause', 'resume', 'cancel']) {
        const refused = await call('POST', `/v1/rollouts/${mixedRollout}/${action}`, 'jemberCoordinator', { reason: 'not all of it is mine' });
        expect(refused.status, action).toBe(403);
        expect(refused.body.error.foreignRegencies).toEqual(['35.07']);
      }
      // None of them reached the rollout.
      expect((await call('GET', `/v1/rollouts/${mixedRollout}`, 'manager')).body.operations).toEqual([]);
      const malangRollout = uniqueRolloutId('scope-malang');
      const malangCohort = await importCohort(stack, [cohortHousehold({ region: '35.07.05.2005' })]);
      expect((await call('POST', '/v1/rollouts', 'coordinator', { rolloutId: malangRollout, cohortId: malangCohort, programId: 'graduation', version: 1 })).status).toBe(201);
      const hidden = await call('GET', `/v1/rollouts/${malangRollout}`, 'jemberManager');
      expect(hidden.status).toBe(404);
      expect(hidden.body).toEqual({ error: { code: 'not_found', message: `no rollout ${malangRollout}` } });
      expect((await stack.text(`/v1/rollouts/${malangRollout}/report.csv`, 'jemberManager')).status).toBe(404);
      expect((await call('GET', `/v1/rollouts/${malangRollout}`, 'manager')).status).toBe(200);
    });
  });
});
