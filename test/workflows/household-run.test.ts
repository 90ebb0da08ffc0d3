import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { agencies } from '../../domain/agency';
import { graduationPlanV1 } from '../../domain/plans/graduation';
import { makeHousehold, uniqueRolloutId } from '../helpers/households';
import { eventually } from '../../dev/http';
import { ended, getRun, shortPlan, startRun, stepIs, waitForState } from '../helpers/runs';
import { expectEachStepOpenedOnce, simTasks } from '../helpers/sim-tasks';
import { startStack, type Stack } from '../../dev/stack';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const defaults = { delayMs: 50, failRequests: 0, silent: false, rejectHouseholds: {}, rejectShare: 0 };

describe('a household run on a real Temporal server', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ temporalAddress: inject('temporalAddress') });
  });
  afterEach(async () => {
    for (const agency of agencies) await stack.sims.control[agency].setBehaviour(defaults);
  });
  afterAll(() => stack?.close());

  const historyOf = async (runId: string) => (await stack.client.workflow.getHandle(runId).fetchHistory()).events ?? [];
  /** The run's task open and the run waiting for its outcome: the SLA timer is started in that same workflow task. */
  const openAndWaiting = async (runId: string) => {
    const taskId = (await waitForState(stack, runId, stepIs('aid', 'open'))).steps[0]!.taskId!;
    await eventually(async () => ((await historyOf(runId)).some((e) => e.timerStartedEventAttributes) ? true : undefined), 30_000, 'the SLA timer');
    return taskId;
  };
  /** The records writes in the workflow task that accepted the (first) update. */
  const writesWhereAccepted = (events: Awaited<ReturnType<typeof historyOf>>) => {
    const accepted = events.findIndex((e) => e.workflowExecutionUpdateAcceptedEventAttributes);
    const taskEnd = events.findIndex((e, i) => i > accepted && e.workflowTaskScheduledEventAttributes);
    return events.slice(accepted, taskEnd === -1 ? undefined : taskEnd).filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity');
  };

  it('goes through all four agencies and records the new welfare status', async () => {
    const household = makeHousehold({ welfareStatus: 'extreme_poor' });
    const runId = await startRun(stack, uniqueRolloutId('happy'), household);
    const state = await waitForState(stack, runId, ended);

    expect(state.status).toBe('completed');
    expect(state.steps.map((s) => [s.key, s.status])).toEqual(graduationPlanV1.steps.map((s) => [s.key, 'completed']));
    expect(state.steps.every((s) => s.attempts.length === 1 && s.attempts[0]!.agencyReference)).toBe(true);
    // The last visit observes one step up the ladder.
    expect(state.welfareStatus).toEqual({ before: 'extreme_poor', current: 'poor' });
    const aid = state.steps[0]!.attempts[0]!;
    expect(aid.result).toMatchObject({ amount: 750_000 });
    expect(aid.closedBy).toMatch(/^msg_/);
    await expectEachStepOpenedOnce(stack, runId, graduationPlanV1);

    // One patch marker (the patch set: workflows/patches.ts) and one TemporalChangeVersion upsert, not one of each per patch.
    const events = (await stack.client.workflow.getHandle(runId).fetchHistory()).events ?? [];
    const markers = events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch');
    const versionUpserts = events.filter((e) => e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields?.TemporalChangeVersion);
    expect([markers.length, versionUpserts.length]).toEqual([1, 1]);
  });

  it('answers an outcome the run was waiting for once one records write is done: the run\'s own, holding the outcome and the next task', async () => {
    await stack.sims.control.kemensos.setBehaviour({ silent: true });
    const runId = await startRun(stack, uniqueRolloutId('fold'), makeHousehold());
    const taskId = await openAndWaiting(runId);
    const answer = await stack.webhook('kemensos', `msg_fold_${taskId}`, { type: 'task.completed', timestamp: new Date().toISOString(), data: { taskId, result: { amount: 750_000, transferReference: 'TRF-FOLD-1' } } });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    // Read straight after the 2xx: the outcome, and the next step's attempt the same write held.
    const { state } = await getRun(stack, runId);
    expect(state.steps[0]!.attempts[0]!.outcome).toBe('completed');
    expect(state.steps[1]!.attempts).toHaveLength(1);

    // The outcome's workflow task: accepted, one write, completed; before, a write of its own and then the run's, both before the answer.
    const events = await historyOf(runId);
    const writes = writesWhereAccepted(events);
    expect(writes).toHaveLength(1);
    const completed = events.findIndex((e) => e.workflowExecutionUpdateCompletedEventAttributes);
    expect(completed).toBeGreaterThan(events.indexOf(writes[0]!));
  });

  it('lets an outcome that comes in one workflow task with the SLA deadline win: answered after one write, never stuck, no e-mail', async () => {
    await stack.sims.control.kemensos.setBehaviour({ silent: true });
    const runId = await startRun(stack, uniqueRolloutId('race'), makeHousehold(), shortPlan(graduationPlanV1, { aid: { sla: 'PT3S' } }));
    const taskId = await openAndWaiting(runId);
    // No worker while the deadline passes and the outcome comes: the next workflow task brings both.
    await stack.stopWorkers();
    let answer: ReturnType<Stack['webhook']>;
    try {
      await sleep(4_000);
      answer = stack.webhook('kemensos', `msg_race_${taskId}`, { type: 'task.completed', timestamp: new Date().toISOString(), data: { taskId, result: { amount: 750_000, transferReference: 'TRF-RACE-1' } } });
      await sleep(1_000);
    } finally {
      await stack.startWorkers();
    }
    expect((await answer).status).toBe(200);

    const events = await historyOf(runId);
    const fired = events.findIndex((e) => e.timerFiredEventAttributes);
    const accepted = events.findIndex((e) => e.workflowExecutionUpdateAcceptedEventAttributes);
    expect(fired).toBeGreaterThan(-1);
    expect(events.slice(fired, accepted).filter((e) => e.workflowTaskStartedEventAttributes)).toHaveLength(1);
    expect(writesWhereAccepted(events)).toHaveLength(1);
    // The deadline lost to the outcome: no stuck mark, no breach e-mail.
    expect(events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'notifySla')).toEqual([]);
    const aid = (await getRun(stack, runId)).state.steps[0]!;
    expect(aid.stuck).toBe(false);
    expect(aid.attempts[0]!).toMatchObject({ outcome: 'completed' });
    expect(aid.attempts[0]!.notices ?? []).toEqual([]);
  });

  it('stops the run when a step whose rule is "stop" is rejected', async () => {
    const household = makeHousehold();
    await stack.sims.control.kemensos.setBehaviour({ rejectHouseholds: { [household.familyCardNumber]: { mode: 'by-webhook', times: 0 } } });
    const runId = await startRun(stack, uniqueRolloutId('stop'), household);
    const state = await waitForState(stack, runId, ended);

    expect(state.status).toBe('rejected');
    expect(state.steps[0]).toMatchObject({ key: 'aid', status: 'rejected' });
    expect(state.steps[0]!.attempts[0]!.reason).toBeTruthy();
    expect(state.steps.slice(1).every((s) => s.status === 'pending')).toBe(true);
    expect(await simTasks(stack, 'kemnaker', runId)).toHaveLength(0);
  });

  it('skips a step whose rule is "skip" and carries on', async () => {
    const household = makeHousehold();
    await stack.sims.control.kemenkop.setBehaviour({ rejectHouseholds: { [household.familyCardNumber]: { mode: 'at-request', times: 0 } } });
    const runId = await startRun(stack, uniqueRolloutId('skip'), household);
    const state = await waitForState(stack, runId, ended);

    expect(state.status).toBe('completed');
    const capital = state.steps.find((s) => s.key === 'capital')!;
    expect(capital.status).toBe('skipped');
    expect(capital.attempts).toHaveLength(1);
    expect(capital.attempts[0]).toMatchObject({ outcome: 'rejected', closedBy: 'adapter' });
    expect(state.steps.filter((s) => s.kind === 'follow-up-visit').every((s) => s.status === 'completed')).toBe(true);
  });

  it('retries a rejected step as new attempts and succeeds within its retries', async () => {
    const household = makeHousehold();
    await stack.sims.control.kemnaker.setBehaviour({ rejectHouseholds: { [household.familyCardNumber]: { mode: 'by-webhook', times: 2 } } });
    const runId = await startRun(stack, uniqueRolloutId('retry'), household);
    const state = await waitForState(stack, runId, ended);

    expect(state.status).toBe('completed');
    const training = state.steps.find((s) => s.key === 'training')!;
    expect(training.status).toBe('completed');
    expect(training.attempts.map((a) => a.outcome)).toEqual(['rejected', 'rejected', 'completed']);
    const tasks = await simTasks(stack, 'kemnaker', runId);
    expect(tasks.map((t) => t.taskId).sort()).toEqual(training.attempts.map((a) => a.taskId).sort());
    expect(tasks.every((t) => t.opened === 1)).toBe(true);
  });

  it('opens a task exactly once when its agency answers 5xx for a while', async () => {
    await stack.sims.control.kemensos.setBehaviour({ failRequests: 3 });
    const runId = await startRun(stack, uniqueRolloutId('flaky'), makeHousehold());
    const state = await waitForState(stack, runId, ended);

    expect(state.status).toBe('completed');
    const [aidTask, ...others] = await simTasks(stack, 'kemensos', runId);
    expect(others).toHaveLength(0);
    expect(aidTask).toMatchObject({ requests: 4, opened: 1 });
  });

  it('finishes a run whose workers were stopped and restarted mid-run, opening nothing twice', async () => {
    await stack.sims.control.kemnaker.setBehaviour({ delayMs: 3_000 });
    const runId = await startRun(stack, uniqueRolloutId('restart'), makeHousehold());
    await waitForState(stack, runId, stepIs('training', 'open'));
    await stack.stopWorkers();
    // The ministry reports while no worker runs; it retries until the run accepts it.
    await new Promise((r) => setTimeout(r, 5_000));
    await stack.startWorkers();
    const state = await waitForState(stack, runId, ended, 90_000);

    expect(state.status).toBe('completed');
    await expectEachStepOpenedOnce(stack, runId, graduationPlanV1);
    expect(state.steps.every((s) => s.attempts.length === 1)).toBe(true);
  });
});
