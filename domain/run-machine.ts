import { durationToMs } from './duration';
import { FailureType, nonRetryableActivityFailures } from './failure-types';
import type { Household } from './household';
import { parseTaskId, taskIdOf } from './ids';
import type { PlanStep, ProgramPlan } from './program-plan';
import type { HolidayCalendar } from './holiday-calendar';
import { pendingStepState, type AttemptState, type DeadlineBasis, type OperationRecord, type RunState, type StepState } from './run-state';
import type { SlaNotice } from './sla-notice';
import type { RunCourse } from './step-end';
import type { OperationRequest } from './step-operation';
import type { TaskOutcome, TaskOutcomeKind, TaskProgress } from './task-outcome';
import type { OpenedTask, TaskRequest } from './task-request';
import { WelfareStatusSchema } from './welfare-status';
import { decideAwaitedGraduation, initialGraduationState, recordEvidence, visitRequestOf } from './graduation-run';
import { runStepOf } from './graduation-steps';
import { nextOfficeHour, slaDeadline, type Deadline } from './working-days';

/**
 * What happens to a household's run, as changes to its RunState: the household-run workflow
 * decides when (waits, timers, activities) and these decide what. They do no I/O and read no
 * clock (the time comes in as `now`), so replay and unit tests see the same thing.
 */

/** What a run starts from: its ids, the household and its own copy of the plan. */
export interface RunStart {
  runId: string;
  rolloutId: string;
  household: Household;
  plan: ProgramPlan;
}

export function initialRunState({ runId, rolloutId, household, plan }: RunStart, now: Date): RunState {
  return {
    runId,
    rolloutId,
    programId: plan.programId,
    programVersion: plan.version,
    householdId: household.familyCardNumber,
    region: household.region,
    status: 'running',
    startedAt: now.toISOString(),
    welfareStatus: { before: household.welfareStatus, current: household.welfareStatus },
    steps: plan.steps.map(pendingStepState),
    graduation: initialGraduationState(plan),
  };
}

/** The request for one attempt at a step; a follow-up visit under a plan with criteria says what to report. */
export function taskRequestOf(runId: string, household: Household, step: PlanStep, attempt: number, plan: ProgramPlan): TaskRequest {
  const visit = visitRequestOf(plan, step);
  return { taskId: taskIdOf(runId, step.key, attempt), runId, stepKey: step.key, attempt, agency: step.agency, kind: step.kind, parameters: step.parameters, household, ...(visit && { visit }) };
}

/** The request sent for one of the run's tasks, for an agency catching up; undefined for a task the run never had. */
export function requestOfTask(state: RunState, { household, plan }: RunStart, taskId: string): TaskRequest | undefined {
  const ref = parseTaskId(taskId);
  const step = ref && runStepOf(plan, ref.stepKey);
  const attempt = state.steps.flatMap((s) => s.attempts).find((a) => a.taskId === taskId);
  // The agency the attempt went to: after a reassignment that is not the plan's.
  return ref && step && attempt ? taskRequestOf(state.runId, household, { ...step, agency: attempt.agency ?? step.agency }, ref.attempt, plan) : undefined;
}

export function startStep(state: RunState, stepState: StepState, now: Date): void {
  state.currentStep = stepState.key;
  stepState.startedAt = now.toISOString();
}

/** The plan's step as its next attempt runs it: a reassigned step goes to its new agency. */
export function stepAsAssigned(planStep: PlanStep, stepState: StepState): PlanStep {
  return { ...planStep, agency: stepState.agency };
}

/** A new attempt at the step's current agency, about to be opened. */
export function openAttempt(state: RunState, stepState: StepState, attemptNo: number): AttemptState {
  const attempt: AttemptState = { attempt: attemptNo, taskId: taskIdOf(state.runId, stepState.key, attemptNo), agency: stepState.agency };
  stepState.attempts.push(attempt);
  stepState.taskId = attempt.taskId;
  stepState.status = 'opening';
  return attempt;
}

/**
 * What a run counts its deadlines against: the household's region (its zone) and the holiday calendar pinned into
 * the run's input when it started, so a holiday file changed later never moves a running deadline on replay.
 */
export interface RunClock {
  region: string;
  calendar: HolidayCalendar;
}

/** The run's clock; undefined for a run started before calendars were pinned, whose deadlines stay elapsed time. */
export function runClockOf({ household, calendar }: { household: Pick<Household, 'region'>; calendar?: HolidayCalendar }): RunClock | undefined {
  return calendar && { region: household.region, calendar };
}

export interface StepDeadline {
  at: Date;
  /** How it was counted; absent when counted without a clock (elapsed time, as before). */
  basis?: DeadlineBasis;
}

function basisOf(step: Pick<PlanStep, 'slaDays'>, counted: Deadline): DeadlineBasis {
  return { days: step.slaDays === 'working' ? 'working' : 'calendar', zone: counted.zone, ...(counted.notDecreed.length > 0 && { notDecreed: counted.notDecreed }) };
}

/**
 * When the step's SLA, started at `now`, runs out: in the region's zone, and in working days where the plan says
 * so (domain/working-days.ts slaDeadline). Without a clock, elapsed time.
 */
export function stepDeadline(step: Pick<PlanStep, 'sla' | 'slaDays'>, now: Date, clock?: RunClock): StepDeadline {
  if (!clock) return { at: new Date(now.getTime() + durationToMs(step.sla)) };
  const counted = slaDeadline(now.getTime(), step.sla, { region: clock.region, workingDays: step.slaDays === 'working', calendar: clock.calendar });
  return { at: new Date(counted.at), basis: basisOf(step, counted) };
}

/** Sets the attempt's deadline; the basis only for an attempt counted with a clock (its later moves count the same way). */
function setDeadline(attempt: AttemptState, deadline: StepDeadline): void {
  attempt.deadline = deadline.at.toISOString();
  if (deadline.basis) attempt.deadlineBasis = deadline.basis;
}

/** The clock an attempt's deadline and reminder move by: the run's, if the attempt was counted with it (else elapsed time, as when it opened). */
export function attemptClock(attempt: AttemptState, clock: RunClock | undefined): RunClock | undefined {
  return attempt.deadlineBasis ? clock : undefined;
}

export function isClosed(attempt: AttemptState): boolean {
  return attempt.outcome !== undefined || attempt.supersededBy !== undefined;
}

/**
 * The agency took the task. Unless it was closed meanwhile (an early webhook, a manager), the
 * SLA starts now; answers whether the outcome is still awaited.
 */
export function taskOpened(stepState: StepState, attempt: AttemptState, opened: OpenedTask, step: Pick<PlanStep, 'sla' | 'slaDays'>, now: Date, clock?: RunClock): boolean {
  attempt.agencyReference = opened.agencyReference;
  attempt.openedAt = now.toISOString();
  if (isClosed(attempt)) return false;
  setDeadline(attempt, stepDeadline(step, now, clock));
  stepState.status = 'open';
  return true;
}

/** The outcome an adapter's refusal to open a task stands for; undefined when retrying could still help. */
export function refusalOutcome(failureType: string | null | undefined): TaskOutcomeKind | undefined {
  if (!nonRetryableActivityFailures.includes(failureType ?? '')) return undefined;
  return failureType === FailureType.AgencyRejected ? 'rejected' : 'failed';
}

/** The adapter's refusal to open the task closes the attempt, unless the agency's webhook already did. */
export function closeRefusedAttempt(state: RunState, attempt: AttemptState, refusal: Pick<TaskOutcome, 'agency' | 'outcome' | 'reason'>, now: Date): void {
  if (attempt.outcome) return;
  closeAttempt(state, attempt, { ...refusal, taskId: attempt.taskId, reportedAt: now.toISOString(), source: 'adapter' }, now);
}

/**
 * Closes an attempt with its outcome. A completed follow-up visit's findings are evidence where
 * the plan has graduation criteria; under a plan without, the visit's observed welfare status is
 * taken as it is.
 */
export function closeAttempt(state: RunState, attempt: AttemptState, outcome: TaskOutcome, now: Date): void {
  attempt.outcome = outcome.outcome;
  attempt.result = outcome.result;
  attempt.reason = outcome.reason;
  attempt.closedAt = now.toISOString();
  attempt.closedBy = outcome.source;
  const step = state.steps.find((s) => s.attempts.includes(attempt));
  if (step?.kind !== 'follow-up-visit' || outcome.outcome !== 'completed') return;
  if (state.graduation) {
    recordEvidence(state, step.key, outcome.result, now);
    return;
  }
  const observed = WelfareStatusSchema.safeParse(outcome.result?.observedWelfareStatus);
  if (observed.success) state.welfareStatus.current = observed.data;
}

/** Records an agency's news on an open attempt; answers whether it moved the deadline (counted as it was at opening). */
export function recordProgress(plan: ProgramPlan, stepKey: string, attempt: AttemptState, report: TaskProgress, now: Date, clock?: RunClock): boolean {
  const at = now.toISOString();
  if (report.kind === 'acknowledged') attempt.acknowledgedAt ??= at;
  attempt.progress = [...(attempt.progress ?? []), { kind: report.kind, at, data: report.data, note: report.note, source: report.source }].slice(-50);
  const step = runStepOf(plan, stepKey);
  // News from the agency counts against silence only where the plan says so.
  if (!step?.slaRestartsOnProgress || !attempt.deadline) return false;
  setDeadline(attempt, stepDeadline(step, now, attemptClock(attempt, clock)));
  return true;
}

/**
 * The deadline moved on by a manager's extension, counted as the deadline was: on a working-day
 * attempt P5D is five more working days after the deadline's day (ending at that day's closing),
 * so P10D extended by P5D ends where P15D would have; hours stay elapsed time.
 */
export function extendedDeadline(deadline: string, basis: DeadlineBasis | undefined, extendBy: string, clock?: RunClock): StepDeadline {
  const from = new Date(deadline);
  if (!basis || !clock) return { at: new Date(from.getTime() + durationToMs(extendBy)) };
  const { days, notDecreed = [] } = basis;
  const counted = slaDeadline(from.getTime(), extendBy, { region: clock.region, workingDays: days === 'working', calendar: clock.calendar });
  // A year counted provisionally for the first deadline still is, for the extended one.
  const years = new Map([...notDecreed, ...counted.notDecreed].map((y) => [y.year, y]));
  const merged = [...years.values()].sort((a, b) => a.year - b.year);
  return { at: new Date(counted.at), basis: { days, zone: counted.zone, ...(merged.length > 0 && { notDecreed: merged }) } };
}

/**
 * Records a manager's operation (already checked by checkOperation) and sets what the waiting
 * step will act on: extend moves the open attempt's deadline (extendedDeadline); retry, skip,
 * reassign and cancel supersede an attempt that has no final outcome yet; reassign also moves the step.
 */
export function applyOperation(state: RunState, op: OperationRequest, stepState: StepState | undefined, now: Date, clock?: RunClock): OperationRecord {
  if (op.op === 'decide-graduation') return decideAwaitedGraduation(state, op, now);
  const record: OperationRecord = { op: op.op, reason: op.reason, actor: op.actor, at: now.toISOString(), ...(op.op !== 'cancel' && { stepKey: op.stepKey }) };
  const current = stepState ?? state.steps.find((s) => s.key === state.currentStep);
  const attempt = current?.attempts.at(-1);
  if (op.op === 'extend' && attempt?.deadline) {
    setDeadline(attempt, extendedDeadline(attempt.deadline, attempt.deadlineBasis, op.extendBy, clock));
    record.detail = attempt.deadline;
  } else if (op.op !== 'extend') {
    if (op.op === 'reassign' && current) {
      current.agency = op.agency;
      record.detail = op.agency;
    }
    if (attempt && !attempt.supersededBy && attempt.outcome !== 'completed' && attempt.outcome !== 'rejected') {
      attempt.supersededBy = op.op;
      attempt.closedAt ??= now.toISOString();
    }
  }
  state.operations = [...(state.operations ?? []), record];
  return record;
}

export function cancelRequested(state: RunState): boolean {
  return state.operations?.some((o) => o.op === 'cancel') ?? false;
}

/** A task superseded before its outcome is withdrawn at its agency, if the agency ever had it. */
export function needsWithdrawal(attempt: AttemptState): boolean {
  return attempt.supersededBy !== undefined && attempt.agencyReference !== undefined && !attempt.outcome;
}

/** What the agency is told when its task is withdrawn: the manager's reason. */
export function withdrawalReason(state: RunState, attempt: AttemptState): string {
  return state.operations?.at(-1)?.reason ?? attempt.supersededBy ?? 'withdrawn';
}

/**
 * When the agency's focal point is reminded: the plan's share of the SLA before the deadline (that lead is
 * elapsed time, also on a working-day step). With the run's clock the reminder waits for the region's next office
 * hour, unless that would be at or after the deadline (a very short SLA): then it goes when due, since the breach
 * would otherwise come first. Breach and escalation notices are never moved: a stuck step is a fact.
 */
export function reminderAt(step: PlanStep, deadline: string, clock?: RunClock): number {
  const due = Date.parse(deadline) - durationToMs(step.sla) * (1 - (step.reminderShare ?? 0.8));
  if (!clock) return due;
  const inOffice = nextOfficeHour(due, clock.region, clock.calendar);
  return inOffice < Date.parse(deadline) ? inOffice : due;
}

/** How long a step stays stuck before the level above the regional manager is told. */
export function escalationDelayMs(step: PlanStep): number {
  return durationToMs(step.escalateAfter ?? 'P3D');
}

export function noticeSent(attempt: AttemptState, kind: SlaNotice['kind']): boolean {
  return attempt.notices?.some((n) => n.kind === kind) ?? false;
}

export function slaNoticeOf(state: RunState, step: PlanStep, attempt: AttemptState, kind: SlaNotice['kind']): SlaNotice {
  const { amount } = step.parameters;
  return {
    kind,
    runId: state.runId,
    rolloutId: state.rolloutId,
    region: state.region,
    stepKey: step.key,
    stepTitle: step.title,
    stepKind: step.kind,
    agency: step.agency,
    taskId: attempt.taskId,
    deadline: attempt.deadline!,
    ...(attempt.deadlineBasis && { deadlineBasis: attempt.deadlineBasis }),
    // The agency's contract validated the plan's amount, which may be written as text.
    ...(amount === undefined ? {} : { amount: Number(amount) }),
  };
}

/** The plan's amount (Rupiah) of each step that carries one, by step key: what the records store books for it. */
export function plannedAmounts(plan: ProgramPlan): Record<string, number> {
  // The agency's contract validated the plan's amount, which may be written as text.
  return Object.fromEntries(plan.steps.filter((s) => s.parameters.amount !== undefined).map((s) => [s.key, Number(s.parameters.amount)]));
}

const runStatusOf = { continue: 'completed', stop: 'rejected', fail: 'failed', cancel: 'cancelled' } as const;

/** Ends the run where its last step led it: every step done is completed; the run no longer has a current step. */
export function endRun(state: RunState, course: RunCourse, now: Date): void {
  state.status = runStatusOf[course];
  state.finishedAt = now.toISOString();
  if (course === 'continue') state.currentStep = undefined;
}
