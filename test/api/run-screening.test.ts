import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eventually } from '../../dev/http';
import { startStack, type Stack } from '../../dev/stack';
import type { Household } from '../../domain/household';
import { graduationPlanV1 } from '../../domain/plans/graduation';
import type { ProgramPlan } from '../../domain/program-plan';
import { cohortHousehold, importCohort } from '../helpers/cohorts';
import { makeHousehold, uniqueRolloutId } from '../helpers/households';
import { ended, getRun, householdIs, runIdFor, waitForState } from '../helpers/runs';

describe('a single run screened like a rollout, and households given micro-capital lately', () => {
  let stack: Stack;
  const stamp = Date.now().toString(36);
  const gradId = `grad-screen-${stamp}`;
  const aidId = `aid-only-${stamp}`;
  const capitalId = `capital-${stamp}`;
  const publish = async (plan: ProgramPlan) => {
    const res = await stack.call('POST', '/v1/programs', plan);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  };
  const startRun = (household: Household, programId: string, as: 'coordinator' | 'manager' = 'coordinator', extra: object = {}) =>
    stack.call('POST', '/v1/runs', { rolloutId: uniqueRolloutId('single'), household, programId, ...extra }, as);
  const runsOf = async (household: Household) => (await stack.client.workflow.count(`WorkflowType = 'householdRun' AND ${householdIs(household)}`)).count;
  const progress = async (rolloutId: string) => (await stack.call('GET', `/v1/rollouts/${rolloutId}`, undefined, 'viewer')).body;
  const rolloutOf = async (cohortId: string, programId: string) => {
    const rolloutId = uniqueRolloutId('recent');
    const res = await stack.call('POST', '/v1/rollouts', { rolloutId, cohortId, programId, reason: 'test', pace: { batchSize: 50, startsPerSecond: 500, watchEvery: '1 second' } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return eventually(async () => {
      const p = await progress(rolloutId);
      return p.starting?.allStarted ? { rolloutId, starting: p.starting } : undefined;
    }, 120_000, `rollout ${rolloutId}`);
  };

  beforeAll(async () => {
    stack = await startStack({ temporalAddress: inject('temporalAddress') });
    // Runs wait at their aid step (kemensos): they stay active for the overlap checks. Micro-capital (kemenkop) is paid out.
    await stack.sims.control.kemensos.setBehaviour({ silent: true });
    await publish({ ...graduationPlanV1, programId: gradId, version: 1, eligibility: { maxDecile: 2, welfareStatuses: ['extreme_poor', 'poor'], regions: ['35.09'] } });
    await publish({ ...graduationPlanV1, programId: aidId, version: 1, title: 'PKH only', steps: graduationPlanV1.steps.filter((s) => s.kind === 'aid-disbursement') });
    await publish({ ...graduationPlanV1, programId: capitalId, version: 1, title: 'UMi only', steps: graduationPlanV1.steps.filter((s) => s.kind === 'micro-capital').map((s) => ({ ...s, sla: 'PT30S' })) });
  });
  afterAll(() => stack?.close());

  it('refuses an ineligible household with 422 naming the reason and the field, and starts nothing', async () => {
    const cases: [Partial<Household>, string, string][] = [
      [{ decile: 5 }, 'decile-above-maximum', 'body.household.decile'],
      [{ welfareStatus: 'stable' }, 'welfare-status-not-allowed', 'body.household.welfareStatus'],
      [{ region: '35.07.01.2001' }, 'region-not-covered', 'body.household.region'],
    ];
    for (const [overrides, reason, field] of cases) {
      const household = makeHousehold(overrides);
      const res = await startRun(household, gradId);
      expect(res.status, JSON.stringify(res.body)).toBe(422);
      expect(res.body.error).toMatchObject({ code: 'unprocessable', reason });
      expect(res.body.error.fields.map((f: { field: string }) => f.field)).toEqual([field]);
      expect(await runsOf(household)).toBe(0);
    }
  });

  it('refuses a household in an active run of another program sharing a step kind, naming that run; a manager may force it, a coordinator may not', async () => {
    const household = makeHousehold();
    const aid = await startRun(household, aidId);
    expect(aid.status, JSON.stringify(aid.body)).toBe(201);
    const aidRun = aid.body.runId as string;
    await eventually(async () => ((await runsOf(household)) === 1 ? true : undefined), 30_000, 'run visible');

    const refused = await startRun(household, gradId);
    expect(refused.status, JSON.stringify(refused.body)).toBe(422);
    expect(refused.body.error).toMatchObject({ reason: 'overlapping-program', detail: `active run ${aidRun} of ${aidId} shares aid-disbursement` });
    expect(refused.body.error.message).toContain(aidRun);
    expect(refused.body.error.fields.map((f: { field: string }) => f.field)).toEqual(['body.household.familyCardNumber']);

    const byCoordinator = await startRun(household, gradId, 'coordinator', { force: { reason: 'household already screened by the regency' } });
    expect(byCoordinator.status).toBe(403);
    expect(byCoordinator.body.error.fields.map((f: { field: string }) => f.field)).toEqual(['body.force']);
    expect(await runsOf(household)).toBe(1);

    const forced = await startRun(household, gradId, 'manager', { force: { reason: 'aid run is ending this week' } });
    expect(forced.status, JSON.stringify(forced.body)).toBe(201);
    const record = { by: 'test-manager', reason: 'aid run is ending this week', overrode: [{ reason: 'overlapping-program', detail: `active run ${aidRun} of ${aidId} shares aid-disbursement` }] };
    expect(forced.body.forced).toMatchObject(record);
    // The force shows on the run.
    expect((await stack.call('GET', `/v1/runs/${encodeURIComponent(forced.body.runId)}`, undefined, 'viewer')).body.forced).toMatchObject(record);

    // No force gets a second active run of the same program.
    const twice = await startRun(household, gradId, 'manager', { force: { reason: 'try once more' } });
    expect(twice.status, JSON.stringify(twice.body)).toBe(422);
    expect(twice.body.error).toMatchObject({ reason: 'already-enrolled' });
    expect(twice.body.error.message).toContain(forced.body.runId);
  });

  it('excludes a household given micro-capital within the period (preview, rollout, single run), and enrols it once the period has passed', async () => {
    const received = cohortHousehold();
    const fresh = cohortHousehold();
    const capital = await startRun(received, capitalId);
    expect(capital.status, JSON.stringify(capital.body)).toBe(201);
    const state = await waitForState(stack, capital.body.runId, ended, 90_000);
    expect(state.status).toBe('completed');
    // Its Welfare facts, written as it ended, reach visibility.
    await eventually(
      async () => ((await stack.client.workflow.count(`${householdIs(received)} AND Welfare = 'received:micro-capital' AND ExecutionStatus = 'Completed'`)).count === 1 ? true : undefined),
      30_000,
      'receipt visible',
    );
    // The default (a plan with micro-capital: 52 weeks) and a plan whose period (one second) has passed.
    const yearly = `yearly-${stamp}`;
    const short = `short-${stamp}`;
    await publish({ ...graduationPlanV1, programId: yearly, version: 1 });
    await publish({ ...graduationPlanV1, programId: short, version: 1, eligibility: { ...graduationPlanV1.eligibility, notReceivedWithin: { kinds: ['micro-capital'], period: 'PT1S' } } });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const cohortId = await importCohort(stack, [fresh, received]);
    const detail = expect.stringContaining(`received micro-capital in run ${capital.body.runId} of ${capitalId}`);

    const preview = await stack.call('POST', '/v1/rollouts/preview', { cohortId, programId: yearly });
    expect(preview.body.counts).toEqual({ households: 2, eligible: 1, flagged: 0, excluded: 1, excludedBy: { 'recently-received': 1 } });
    expect(preview.body.excluded).toEqual([{ householdId: received.familyCardNumber, reason: 'recently-received', detail }]);
    const passed = await stack.call('POST', '/v1/rollouts/preview', { cohortId, programId: short });
    expect(passed.body.counts).toMatchObject({ households: 2, eligible: 2, excluded: 0 });

    const single = await startRun(received, yearly);
    expect(single.status).toBe(422);
    expect(single.body.error).toMatchObject({ reason: 'recently-received', detail });

    const rollout = await rolloutOf(cohortId, yearly);
    expect(rollout.starting).toMatchObject({ read: 2, started: 1, excluded: { 'recently-received': 1 } });
    const report = await stack.text(`/v1/rollouts/${rollout.rolloutId}/report.csv`);
    expect(report.text.split('\n').find((l) => l.startsWith(received.familyCardNumber))).toContain('recently-received');
    await expect(getRun(stack, runIdFor(rollout.rolloutId, received))).rejects.toThrow(/404/);

    const later = await rolloutOf(await importCohort(stack, [received]), short);
    expect(later.starting).toMatchObject({ read: 1, started: 1, excluded: {} });
    expect((await getRun(stack, runIdFor(later.rolloutId, received))).state.status).toBe('running');
    // Its waits (a run's end, visibility, two rollouts) are each bounded and named; the test's own bound is above their sum.
  }, 300_000);
});
