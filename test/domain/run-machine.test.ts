import { describe, expect, it } from 'vitest';
import type { Household } from '../../domain/household';
import type { PlanStep, ProgramPlan } from '../../domain/program-plan';
import {
  applyOperation,
  cancelRequested,
  closeAttempt,
  closeRefusedAttempt,
  endRun,
  initialRunState,
  needsWithdrawal,
  openAttempt,
  recordProgress,
  refusalOutcome,
  reminderAt,
  requestOfTask,
  stepAsAssigned,
  taskOpened,
  withdrawalReason,
  type RunStart,
} from '../../domain/run-machine';
import type { RunState } from '../../domain/run-state';
import type { OperationRequest } from '../../domain/step-operation';
import type { TaskOutcome, TaskProgress } from '../../domain/task-outcome';

const DAY = 86_400_000;
const household: Household = {
  familyCardNumber: '3509010101010001',
  headNik: '3509014507850003',
  headName: 'Test Head',
  region: '35.09.01.2001',
  decile: 1,
  welfareStatus: 'extreme_poor',
};
const step = (key: string, over: Partial<PlanStep>): PlanStep => ({
  key,
  agency: 'kemnaker',
  kind: 'job-training',
  title: key,
  sla: 'P10D',
  slaDays: 'calendar',
  parameters: {},
  onRejection: { action: 'stop' },
  slaRestartsOnProgress: false,
  reminderShare: 0.8,
  escalateAfter: 'P3D',
  ...over,
});
const plan: ProgramPlan = {
  programId: 'graduation',
  version: 2,
  title: 'Graduation',
  eligibility: { maxDecile: 2, welfareStatuses: ['extreme_poor'] },
  overlapPolicy: 'exclude',
  steps: [step('training', { parameters: { course: 'tailoring' } }), step('visit', { agency: 'pemda', kind: 'follow-up-visit', slaRestartsOnProgress: true })],
};
const start: RunStart = { runId: 'run:r1:3509010101010001', rolloutId: 'r1', household, plan };
const t0 = new Date('2026-03-01T00:00:00.000Z');
const later = (ms: number) => new Date(t0.getTime() + ms);

/** A run whose step `i` has an open first attempt, deadline t0 + SLA. */
function openRun(i = 0): RunState {
  const state = initialRunState(start, t0);
  state.currentStep = state.steps[i]!.key;
  const attempt = openAttempt(state, state.steps[i]!, 1);
  taskOpened(state.steps[i]!, attempt, { agencyReference: 'REF-1' }, plan.steps[i]!, t0);
  return state;
}
const outcome = (taskId: string, o: Partial<TaskOutcome>): TaskOutcome => ({ taskId, agency: 'pemda', outcome: 'completed', reportedAt: t0.toISOString(), source: 'msg_1', ...o });
const operation = (op: Partial<OperationRequest> & Pick<OperationRequest, 'op'>) => ({ stepKey: 'training', reason: 'a reason', actor: 'mgr', requestedAt: t0.toISOString(), ...op }) as OperationRequest;

describe('the initial run state and task requests', () => {
  it('starts running with every plan step pending and the household welfare status before and now', () => {
    const state = initialRunState(start, t0);
    expect(state).toMatchObject({ status: 'running', programVersion: 2, householdId: household.familyCardNumber, startedAt: t0.toISOString(), welfareStatus: { before: 'extreme_poor', current: 'extreme_poor' } });
    expect(state.steps.map((s) => [s.key, s.agency, s.status, s.attempts.length])).toEqual([['training', 'kemnaker', 'pending', 0], ['visit', 'pemda', 'pending', 0]]);
  });

  it('answers the request of a task the run opened, and nothing for one it never did', () => {
    const state = openRun();
    expect(requestOfTask(state, start, `${start.runId}:training:1`)).toMatchObject({ taskId: `${start.runId}:training:1`, attempt: 1, agency: 'kemnaker', parameters: { course: 'tailoring' }, household });
    expect(requestOfTask(state, start, `${start.runId}:training:2`)).toBeUndefined();
    expect(requestOfTask(state, start, 'not-a-task')).toBeUndefined();
  });
});

describe('opening an attempt', () => {
  it('numbers the task, asks the step agency and starts the SLA once the agency took it', () => {
    const state = initialRunState(start, t0);
    const stepState = state.steps[0]!;
    stepState.agency = 'pemda';
    const attempt = openAttempt(state, stepState, 2);
    expect(attempt).toEqual({ attempt: 2, taskId: `${start.runId}:training:2`, agency: 'pemda' });
    expect(stepState).toMatchObject({ status: 'opening', taskId: attempt.taskId });
    expect(stepAsAssigned(plan.steps[0]!, stepState).agency).toBe('pemda');
    expect(taskOpened(stepState, attempt, { agencyReference: 'R' }, plan.steps[0]!, t0)).toBe(true);
    expect(attempt).toMatchObject({ agencyReference: 'R', openedAt: t0.toISOString(), deadline: later(10 * DAY).toISOString() });
    expect(stepState.status).toBe('open');
  });

  it('starts no SLA for a task closed while it was being opened', () => {
    const state = initialRunState(start, t0);
    const attempt = openAttempt(state, state.steps[0]!, 1);
    attempt.supersededBy = 'skip';
    expect(taskOpened(state.steps[0]!, attempt, { agencyReference: 'R' }, plan.steps[0]!, t0)).toBe(false);
    expect(attempt.deadline).toBeUndefined();
    expect(state.steps[0]!.status).toBe('opening');
  });

  it.each([
    ['AgencyRejected', 'rejected'],
    ['AgencyBadRequest', 'failed'],
    ['AgencyUnavailable', undefined],
    [undefined, undefined],
  ])('reads an adapter refusal of type %s as %s', (type, expected) => {
    expect(refusalOutcome(type)).toBe(expected);
  });
});

describe('closing an attempt', () => {
  it('records the outcome and the welfare status a completed follow-up visit observed', () => {
    const state = openRun(1);
    const attempt = state.steps[1]!.attempts[0]!;
    closeAttempt(state, attempt, outcome(attempt.taskId, { result: { observedWelfareStatus: 'vulnerable' } }), later(DAY));
    expect(attempt).toMatchObject({ outcome: 'completed', closedAt: later(DAY).toISOString(), closedBy: 'msg_1' });
    expect(state.welfareStatus).toEqual({ before: 'extreme_poor', current: 'vulnerable' });
  });

  it("closes an attempt the adapter's agency refused, unless its webhook came first", () => {
    const state = openRun();
    const [refused, early] = [state.steps[0]!.attempts[0]!, openAttempt(state, state.steps[0]!, 2)];
    closeRefusedAttempt(state, refused, { agency: 'kemnaker', outcome: 'rejected', reason: 'not eligible' }, later(DAY));
    expect(refused).toMatchObject({ outcome: 'rejected', reason: 'not eligible', closedBy: 'adapter', closedAt: later(DAY).toISOString() });
    closeAttempt(state, early, outcome(early.taskId, { agency: 'kemnaker', result: { passed: true } }), t0);
    closeRefusedAttempt(state, early, { agency: 'kemnaker', outcome: 'failed', reason: 'bad request' }, later(DAY));
    expect(early).toMatchObject({ outcome: 'completed', closedBy: 'msg_1', closedAt: t0.toISOString() });
  });

  it.each<[string, number, Partial<TaskOutcome>]>([
    ['a rejected follow-up visit', 1, { outcome: 'rejected', reason: 'not home', result: { observedWelfareStatus: 'stable' } }],
    ['a completed training', 0, { result: { observedWelfareStatus: 'stable' } }],
    ['a visit observing no known status', 1, { result: { observedWelfareStatus: 'rich' } }],
  ])('leaves the welfare status alone for %s', (_what, i, o) => {
    const state = openRun(i);
    const attempt = state.steps[i]!.attempts[0]!;
    closeAttempt(state, attempt, outcome(attempt.taskId, o), later(DAY));
    expect(attempt.outcome).toBe(o.outcome ?? 'completed');
    expect(state.welfareStatus.current).toBe('extreme_poor');
  });
});

describe('progress reports', () => {
  const report = (kind: TaskProgress['kind'], source: string): TaskProgress => ({ taskId: 'x', agency: 'pemda', kind, reportedAt: t0.toISOString(), source });

  it('restart the SLA where the plan says so', () => {
    const state = openRun(1);
    const attempt = state.steps[1]!.attempts[0]!;
    expect(recordProgress(plan, 'visit', attempt, report('acknowledged', 'm1'), later(DAY))).toBe(true);
    expect(attempt.deadline).toBe(later(DAY + 10 * DAY).toISOString());
    expect(attempt.acknowledgedAt).toBe(later(DAY).toISOString());
    recordProgress(plan, 'visit', attempt, report('acknowledged', 'm2'), later(2 * DAY));
    expect(attempt.acknowledgedAt).toBe(later(DAY).toISOString());
  });

  it('are kept without moving the deadline where the plan does not', () => {
    const state = openRun(0);
    const attempt = state.steps[0]!.attempts[0]!;
    const deadline = attempt.deadline;
    expect(recordProgress(plan, 'training', attempt, report('progress', 'm1'), later(DAY))).toBe(false);
    expect(attempt.deadline).toBe(deadline);
    expect(attempt.progress).toEqual([{ kind: 'progress', at: later(DAY).toISOString(), source: 'm1' }]);
  });

  it('keep the latest 50', () => {
    const attempt = openRun(0).steps[0]!.attempts[0]!;
    for (let i = 0; i < 55; i++) recordProgress(plan, 'training', attempt, report('progress', `m${i}`), t0);
    expect(attempt.progress?.map((p) => p.source)).toEqual(Array.from({ length: 50 }, (_, i) => `m${i + 5}`));
  });
});

describe("applying a manager's operation", () => {
  it('extend moves the deadline and supersedes nothing', () => {
    const state = openRun();
    const record = applyOperation(state, operation({ op: 'extend', extendBy: 'P14D' }), state.steps[0], later(DAY));
    const attempt = state.steps[0]!.attempts[0]!;
    expect(attempt.deadline).toBe(later(24 * DAY).toISOString());
    expect(attempt.supersededBy).toBeUndefined();
    expect(record).toEqual({ op: 'extend', stepKey: 'training', reason: 'a reason', actor: 'mgr', at: later(DAY).toISOString(), detail: attempt.deadline });
    expect(state.operations).toEqual([record]);
  });

  it('reassign moves the step to another agency and supersedes the open attempt', () => {
    const state = openRun();
    const record = applyOperation(state, operation({ op: 'reassign', agency: 'pemda' }), state.steps[0], later(DAY));
    expect(state.steps[0]!.agency).toBe('pemda');
    expect(state.steps[0]!.attempts[0]).toMatchObject({ agency: 'kemnaker', supersededBy: 'reassign', closedAt: later(DAY).toISOString() });
    expect(record.detail).toBe('pemda');
    expect(needsWithdrawal(state.steps[0]!.attempts[0]!)).toBe(true);
    expect(withdrawalReason(state, state.steps[0]!.attempts[0]!)).toBe('a reason');
  });

  it.each(['retry', 'skip'] as const)('%s supersedes the open attempt', (op) => {
    const state = openRun();
    applyOperation(state, operation({ op }), state.steps[0], later(DAY));
    expect(state.steps[0]!.attempts[0]!.supersededBy).toBe(op);
    expect(cancelRequested(state)).toBe(false);
  });

  it('cancel asks the run to stop and supersedes the current step attempt', () => {
    const state = openRun();
    expect(cancelRequested(state)).toBe(false);
    const record = applyOperation(state, { op: 'cancel', reason: 'moved away', actor: 'mgr', requestedAt: t0.toISOString() }, undefined, later(DAY));
    expect(cancelRequested(state)).toBe(true);
    expect(record.stepKey).toBeUndefined();
    expect(state.steps[0]!.attempts[0]!.supersededBy).toBe('cancel');
  });

  it('leaves a completed attempt as it is, and keeps a failed one closed when it was', () => {
    const state = openRun();
    const attempt = state.steps[0]!.attempts[0]!;
    attempt.outcome = 'completed';
    applyOperation(state, operation({ op: 'retry' }), state.steps[0], later(DAY));
    expect(attempt.supersededBy).toBeUndefined();
    attempt.outcome = 'failed';
    attempt.closedAt = t0.toISOString();
    applyOperation(state, operation({ op: 'retry' }), state.steps[0], later(DAY));
    expect(attempt).toMatchObject({ supersededBy: 'retry', closedAt: t0.toISOString() });
    expect(needsWithdrawal(attempt)).toBe(false);
  });
});

it('reminds at the plan share of the SLA before the deadline', () => {
  expect(reminderAt(plan.steps[0]!, later(10 * DAY).toISOString())).toBe(later(8 * DAY).getTime());
});

describe('endRun', () => {
  it.each([
    ['continue', 'completed', undefined],
    ['stop', 'rejected', 'training'],
    ['fail', 'failed', 'training'],
    ['cancel', 'cancelled', 'training'],
  ] as const)('after %s the run is %s', (course, status, currentStep) => {
    const state = openRun();
    endRun(state, course, later(DAY));
    expect(state).toMatchObject({ status, finishedAt: later(DAY).toISOString() });
    expect(state.currentStep).toBe(currentStep);
  });
});
