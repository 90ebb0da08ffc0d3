import { WorkflowNotFoundError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eventually } from '../../dev/http';
import { startStack, type Stack } from '../../dev/stack';
import type { Household } from '../../domain/household';
import { graduationPlanV1 } from '../../domain/plans/graduation';
import { startHouseholdRun } from '../../temporal/start-household-run';
import { cohortHousehold, importCohort } from '../helpers/cohorts';
import { makeHousehold, uniqueRolloutId } from '../helpers/households';
import { enrolmentIdFor, householdIs, householdKeyOf, runIdFor } from '../helpers/runs';

describe('the per-program, per-household enrolment lock', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ temporalAddress: inject('temporalAddress') });
    // Runs wait at their first task (kemensos): they stay active and keep holding their household.
    await stack.sims.control.kemensos.setBehaviour({ silent: true });
  });
  afterAll(() => stack?.close());

  const exists = async (workflowId: string) => {
    try {
      await stack.client.workflow.getHandle(workflowId).describe();
      return true;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return false;
      throw err;
    }
  };
  const lockStatus = async (household: Household, programId = 'graduation') =>
    (await stack.client.workflow.getHandle(enrolmentIdFor(programId, household)).describe()).status.name;
  const cancel = async (runId: string) => {
    const res = await stack.call('POST', `/v1/runs/${encodeURIComponent(runId)}/cancel`, { reason: 'test: free the household' }, 'manager');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  };
  const progress = async (rolloutId: string) => (await stack.call('GET', `/v1/rollouts/${rolloutId}`, undefined, 'viewer')).body;
  const allStarted = (rolloutId: string) => eventually(async () => ((await progress(rolloutId)).starting?.allStarted ? progress(rolloutId) : undefined), 120_000, `rollout ${rolloutId}`);
  const startRollout = async (cohortId: string) => {
    const rolloutId = uniqueRolloutId('lock');
    const res = await stack.call('POST', '/v1/rollouts', { rolloutId, cohortId, programId: 'graduation', reason: 'test', pace: { batchSize: 50, startsPerSecond: 500, watchEvery: '1 second' } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return rolloutId;
  };
  const input = (rolloutId: string, household: Household) => ({
    runId: runIdFor(rolloutId, household),
    rolloutId,
    household,
    householdKey: householdKeyOf(household.familyCardNumber),
    plan: graduationPlanV1,
    startedBy: 'test',
  });

  it('lets one of two runs of a program started at once hold a household; the same run asking again starts nothing', async () => {
    const household = makeHousehold();
    const [a, b] = [uniqueRolloutId('a'), uniqueRolloutId('b')];
    const answers = await Promise.all([a, b].map((r) => startHouseholdRun(stack.client, stack.taskQueue, input(r, household))));
    expect(answers.filter((x) => x === 'started')).toHaveLength(1);
    const winner = answers[0] === 'started' ? a : b;
    const loser = winner === a ? b : a;
    expect(answers).toContainEqual({ heldBy: runIdFor(winner, household) });
    expect(await exists(runIdFor(winner, household))).toBe(true);
    expect(await exists(runIdFor(loser, household))).toBe(false);
    // A retried batch (the crash case): the holder asking again is told its run exists, and nothing new starts.
    expect(await startHouseholdRun(stack.client, stack.taskQueue, input(winner, household))).toBe('exists');
    expect(await lockStatus(household)).toBe('RUNNING');
    // Another program is another lock.
    const other = { ...graduationPlanV1, programId: 'graduation-other' };
    expect(await startHouseholdRun(stack.client, stack.taskQueue, { ...input(loser, household), plan: other })).toBe('started');
    await cancel(runIdFor(loser, household));
    await cancel(runIdFor(winner, household));
    // The run's end releases the lock.
    await eventually(async () => ((await lockStatus(household)) === 'COMPLETED' ? true : undefined), 30_000, 'lock released');
    expect(await lockStatus(household, 'graduation-other')).toBe('COMPLETED');
  });

  it('two rollouts of the same program over one cohort started at once enrol each household once; after its run ends a third enrols it again', async () => {
    const households = Array.from({ length: 12 }, () => cohortHousehold());
    const cohortId = await importCohort(stack, households);
    const [a, b] = await Promise.all([startRollout(cohortId), startRollout(cohortId)]);
    const [pa, pb] = await Promise.all([allStarted(a), allStarted(b)]);

    const holders = await Promise.all(
      households.map(async (h) => {
        const inA = await exists(runIdFor(a, h));
        const inB = await exists(runIdFor(b, h));
        return inA && inB ? 'both' : inA ? a : inB ? b : 'none';
      }),
    );
    expect(holders.filter((x) => x === 'both' || x === 'none')).toEqual([]);
    expect(pa.starting.started + pb.starting.started).toBe(12);
    // Each household the other rollout reached is recorded there as already enrolled.
    expect((pa.starting.excluded['already-enrolled'] ?? 0) + (pb.starting.excluded['already-enrolled'] ?? 0)).toBe(12);
    expect(pa.starting.started).toBe(holders.filter((x) => x === a).length);
    const report = await stack.text(`/v1/rollouts/${holders[0] === a ? b : a}/report.csv`);
    expect(report.text).toContain(`${households[0]!.familyCardNumber},`);
    expect(report.text.split('\n').find((l) => l.startsWith(households[0]!.familyCardNumber))).toContain('already-enrolled');
    // Visibility too counts one run per household.
    await eventually(async () => {
      const counts = await Promise.all(households.map(async (h) => (await stack.client.workflow.count(`WorkflowType = 'householdRun' AND ${householdIs(h)}`)).count));
      return counts.every((n) => n === 1) ? true : undefined;
    }, 30_000, 'one run per household in visibility');

    // Once the first household's run has ended, a third rollout enrols it again.
    const first = households[0]!;
    await cancel(runIdFor(holders[0]!, first));
    await eventually(async () => ((await lockStatus(first)) === 'COMPLETED' ? true : undefined), 30_000, 'lock released');
    await eventually(
      async () => ((await stack.client.workflow.count(`WorkflowType = 'householdRun' AND ExecutionStatus = 'Running' AND ${householdIs(first)}`)).count === 0 ? true : undefined),
      30_000,
      'run closed in visibility',
    );
    const c = await startRollout(await importCohort(stack, [first]));
    expect((await allStarted(c)).starting).toMatchObject({ read: 1, started: 1, excluded: {} });
    expect(await exists(runIdFor(c, first))).toBe(true);
    expect(await lockStatus(first)).toBe('RUNNING');
  });
});
