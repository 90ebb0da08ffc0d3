import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { TaskRequest } from '../domain/task-request';
import type { AgencyActivities, NotificationActivities } from '../domain/activity-contracts';
import type { SlaNotice } from '../domain/sla-notice';
import type { Agency } from '../domain/agency';
import { checkOutcome, findOpenAttempt } from '../domain/check-outcome';
import { durationToMs } from '../domain/duration';
import { FailureType, nonRetryableActivityFailures } from '../domain/failure-types';
import { parseTaskId, taskIdOf } from '../domain/ids';
import type { PlanStep } from '../domain/program-plan';
import type { AttemptState, Notice, OperationRecord, RunState, StepState } from '../domain/run-state';
import { checkOperation, type OperationRequest } from '../domain/step-operation';
import { CurrentAgency, CurrentStep, CurrentTaskId, RunOutcome, StepDeadline, Stuck, StuckSince, Welfare } from '../domain/search-attributes';
import type { TaskOutcome } from '../domain/task-outcome';
import { WelfareStatusSchema } from '../domain/welfare-status';
import type { HouseholdRunInput } from './household-run-input';
import { operateUpdate, reportOutcomeUpdate, reportProgressUpdate, rolloutPauseSignal, runStateQuery, taskRequestQuery } from './household-run-messages';
import { Patches } from './patches';
import { agencyTaskQueue } from '../domain/task-queues';

type StepEnd = 'continue' | 'stop' | 'fail' | 'cancel';

/** One household through one program: each step's task is opened at its agency, then its outcome awaited. */
export async function householdRun(input: HouseholdRunInput): Promise<RunState> {
  const { plan, household } = input;
  const now = () => new Date().toISOString();
  const state: RunState = {
    runId: input.runId,
    rolloutId: input.rolloutId,
    programId: plan.programId,
    programVersion: plan.version,
    householdId: household.familyCardNumber,
    region: household.region,
    status: 'running',
    startedAt: now(),
    welfareStatus: { before: household.welfareStatus, current: household.welfareStatus },
    steps: plan.steps.map((s) => ({ key: s.key, agency: s.agency, kind: s.kind, title: s.title, status: 'pending', stuck: false, attempts: [] })),
  };

  const taskRequest = (step: PlanStep, attempt: number): TaskRequest => ({
    taskId: taskIdOf(state.runId, step.key, attempt),
    runId: state.runId,
    stepKey: step.key,
    attempt,
    agency: step.agency,
    kind: step.kind,
    parameters: step.parameters,
    household,
  });

  setHandler(runStateQuery, () => state);
  setHandler(taskRequestQuery, (taskId) => {
    const ref = parseTaskId(taskId);
    const step = plan.steps.find((s) => s.key === ref?.stepKey);
    const known = state.steps.some((s) => s.attempts.some((a) => a.taskId === taskId));
    return ref && step && known ? taskRequest(step, ref.attempt) : undefined;
  });
  setHandler(
    reportOutcomeUpdate,
    (outcome) => {
      const check = checkOutcome(state, outcome);
      if (!check.ok) throw ApplicationFailure.nonRetryable(check.message, check.type);
      closeAttempt(check.attempt, outcome);
      return check.attempt;
    },
    {
      validator: (outcome) => {
        const check = checkOutcome(state, outcome);
        if (!check.ok) throw ApplicationFailure.create({ type: check.type, message: check.message, nonRetryable: true, details: check.issues ? [check.issues] : [] });
      },
    },
  );

  setHandler(
    reportProgressUpdate,
    (report) => {
      const found = findOpenAttempt(state, report);
      if (!found.ok) throw ApplicationFailure.nonRetryable(found.message, found.type);
      const { attempt } = found;
      if (report.kind === 'acknowledged') attempt.acknowledgedAt ??= now();
      attempt.progress = [...(attempt.progress ?? []), { kind: report.kind, at: now(), data: report.data, note: report.note, source: report.source }].slice(-50);
      const step = plan.steps.find((s) => s.key === found.step.key);
      // News from the agency counts against silence only where the plan says so.
      if (step?.slaRestartsOnProgress && attempt.deadline) attempt.deadline = new Date(Date.now() + durationToMs(step.sla)).toISOString();
      return attempt;
    },
    {
      validator: (report) => {
        const found = findOpenAttempt(state, report);
        if (!found.ok) throw ApplicationFailure.create({ type: found.type, message: found.message, nonRetryable: true });
      },
    },
  );

  // Each upsert is a history event and a visibility write: the main cost per household at scale.
  const compactAttributes = patched(Patches.stepAttributesOnce);
  let cancelRequested = false;
  let pauseSeq = 0;
  setHandler(rolloutPauseSignal, ({ paused, seq }) => {
    if (seq <= pauseSeq) return;
    pauseSeq = seq;
    state.paused = paused;
  });
  setHandler(
    operateUpdate,
    (op) => {
      const check = checkOperation(state, op);
      if (!check.ok) throw ApplicationFailure.nonRetryable(check.message, check.type);
      applyOperation(op, check.step);
      return state;
    },
    {
      validator: (op) => {
        const check = checkOperation(state, op);
        if (!check.ok) throw ApplicationFailure.create({ type: check.type, message: check.message, nonRetryable: true });
      },
    },
  );

  /** Records a manager's operation and sets what the waiting step will act on. */
  function applyOperation(op: OperationRequest, stepState: StepState | undefined): void {
    const record: OperationRecord = { op: op.op, reason: op.reason, actor: op.actor, at: now(), ...(op.op !== 'cancel' && { stepKey: op.stepKey }) };
    const current = stepState ?? state.steps.find((s) => s.key === state.currentStep);
    const attempt = current?.attempts.at(-1);
    if (op.op === 'extend' && attempt?.deadline) {
      attempt.deadline = new Date(Date.parse(attempt.deadline) + durationToMs(op.extendBy)).toISOString();
      record.detail = attempt.deadline;
    } else if (op.op !== 'extend') {
      if (op.op === 'cancel') cancelRequested = true;
      if (op.op === 'reassign' && current) {
        current.agency = op.agency;
        record.detail = op.agency;
      }
      if (attempt && !attempt.supersededBy && attempt.outcome !== 'completed' && attempt.outcome !== 'rejected') {
        attempt.supersededBy = op.op;
        attempt.closedAt ??= now();
      }
    }
    state.operations = [...(state.operations ?? []), record];
  }

  function closeAttempt(attempt: AttemptState, outcome: TaskOutcome): void {
    attempt.outcome = outcome.outcome;
    attempt.result = outcome.result;
    attempt.reason = outcome.reason;
    attempt.closedAt = now();
    attempt.closedBy = outcome.source;
    const step = state.steps.find((s) => s.attempts.includes(attempt));
    const observed = WelfareStatusSchema.safeParse(outcome.result?.observedWelfareStatus);
    if (step?.kind === 'follow-up-visit' && outcome.outcome === 'completed' && observed.success) {
      state.welfareStatus.current = observed.data;
    }
  }

  // Withdrawing is best effort: a few tries, then recorded, and the run goes on.
  const withdrawalsAt = (agency: Agency) =>
    proxyActivities<AgencyActivities>({
      taskQueue: agencyTaskQueue(workflowInfo().taskQueue, agency),
      startToCloseTimeout: '30 seconds',
      retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumAttempts: 5, nonRetryableErrorTypes: nonRetryableActivityFailures },
    });

  const notifications = proxyActivities<NotificationActivities>({
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumAttempts: 5 },
  });

  const activitiesFor = (agency: Agency) =>
    proxyActivities<AgencyActivities>({
      taskQueue: agencyTaskQueue(workflowInfo().taskQueue, agency),
      startToCloseTimeout: '30 seconds',
      retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '2 minutes', nonRetryableErrorTypes: nonRetryableActivityFailures },
    });

  async function runAttempt(planStep: PlanStep, stepState: StepState, attemptNo: number): Promise<AttemptState> {
    // A reassigned step goes to its new agency from the next attempt on.
    const step: PlanStep = { ...planStep, agency: stepState.agency };
    const attempt: AttemptState = { attempt: attemptNo, taskId: taskIdOf(state.runId, step.key, attemptNo), agency: step.agency };
    stepState.attempts.push(attempt);
    stepState.taskId = attempt.taskId;
    stepState.status = 'opening';
    const projectedDeadline = Date.now() + durationToMs(step.sla);
    if (compactAttributes) {
      upsertSearchAttributes([
        { key: CurrentStep, value: step.key },
        { key: CurrentAgency, value: step.agency },
        { key: CurrentTaskId, value: attempt.taskId },
        { key: StepDeadline, value: new Date(projectedDeadline) },
      ]);
    } else if (patched(Patches.currentTaskIdAttribute)) {
      // Added after v1 histories were recorded: runs started before it skip this command on replay.
      upsertSearchAttributes([{ key: CurrentTaskId, value: attempt.taskId }]);
    }
    try {
      const opened = await activitiesFor(step.agency).openTask(taskRequest(step, attemptNo));
      attempt.agencyReference = opened.agencyReference;
    } catch (err) {
      const failure = err instanceof ActivityFailure && err.cause instanceof ApplicationFailure ? err.cause : undefined;
      if (!failure || !nonRetryableActivityFailures.includes(failure.type ?? '')) throw err;
      const outcome = failure.type === FailureType.AgencyRejected ? 'rejected' : 'failed';
      if (!attempt.outcome) closeAttempt(attempt, { taskId: attempt.taskId, agency: step.agency, outcome, reason: failure.message, reportedAt: now(), source: 'adapter' });
      return attempt;
    }
    attempt.openedAt = now();
    if (attempt.outcome || attempt.supersededBy) return attempt;

    attempt.deadline = new Date(Date.now() + durationToMs(step.sla)).toISOString();
    stepState.status = 'open';
    // The projected deadline stands unless opening took long (an agency down for a while).
    if (!compactAttributes || Math.abs(Date.parse(attempt.deadline) - projectedDeadline) > 60_000) {
      upsertSearchAttributes([{ key: StepDeadline, value: new Date(attempt.deadline) }]);
    }
    await awaitOutcome(step, attempt, stepState);
    return attempt;
  }

  /**
   * Waits for the outcome with durable timers: a reminder to the agency's focal point at the
   * plan's share of the SLA, then at the deadline the step is stuck (listable) and the region's
   * manager is told, and after a further period the level above. A progress report that moves
   * the deadline (where the plan allows) restarts the wait. Runs recorded before notifications
   * existed replay the v1 path (no reminder or escalation timers).
   */
  async function awaitOutcome(step: PlanStep, attempt: AttemptState, stepState: StepState): Promise<void> {
    const notifying = patched(Patches.slaNotifications);
    const closed = () => attempt.outcome !== undefined || attempt.supersededBy !== undefined;
    const noticed = (kind: SlaNotice['kind']) => attempt.notices?.some((n) => n.kind === kind) ?? false;
    while (!closed()) {
      const deadline = attempt.deadline!;
      const moved = () => attempt.deadline !== deadline;
      const slaMs = durationToMs(step.sla);
      const remindAt = Date.parse(deadline) - slaMs * (1 - (step.reminderShare ?? 0.8));
      if (notifying && !noticed('reminder') && remindAt > Date.now()) {
        if (await condition(() => closed() || moved(), remindAt - Date.now())) continue;
        await notify('reminder', step, attempt);
      }
      if (await condition(() => closed() || moved(), Math.max(Date.parse(deadline) - Date.now(), 1))) {
        if (!closed()) upsertSearchAttributes([{ key: StepDeadline, value: new Date(attempt.deadline!) }]);
        continue;
      }
      stepState.stuck = true;
      upsertSearchAttributes([{ key: Stuck, value: true }, { key: StuckSince, value: new Date() }]);
      if (notifying && !noticed('breach')) await notify('breach', step, attempt);
      if (notifying && !noticed('escalation')) {
        if (!(await condition(() => closed() || moved(), durationToMs(step.escalateAfter ?? 'P3D')))) await notify('escalation', step, attempt);
      }
      await condition(() => closed() || moved());
      stepState.stuck = false;
      upsertSearchAttributes([
        { key: Stuck, value: false },
        { key: StuckSince, value: null },
        ...(closed() ? [] : [{ key: StepDeadline, value: new Date(attempt.deadline!) }]),
      ]);
    }
  }

  /** Withdraws a superseded task at the agency that has it; a failure is recorded, never breaks the run. */
  async function withdraw(step: PlanStep, attempt: AttemptState): Promise<void> {
    const agency = attempt.agency ?? step.agency;
    const reason = state.operations?.at(-1)?.reason ?? attempt.supersededBy ?? 'withdrawn';
    try {
      await withdrawalsAt(agency).cancelTask(taskRequest({ ...step, agency }, attempt.attempt), reason);
      attempt.withdrawnAt = now();
    } catch (err) {
      attempt.withdrawalError = err instanceof ActivityFailure && err.cause ? err.cause.message : String(err);
    }
  }

  /** E-mails a notice; a failure to notify is recorded and never breaks the run. */
  async function notify(kind: SlaNotice['kind'], step: PlanStep, attempt: AttemptState): Promise<void> {
    const entry: Notice = { kind, at: now() };
    try {
      const sent = await notifications.notifySla({
        kind,
        runId: state.runId,
        rolloutId: state.rolloutId,
        region: state.region,
        stepKey: step.key,
        stepTitle: step.title,
        agency: step.agency,
        taskId: attempt.taskId,
        deadline: attempt.deadline!,
      });
      entry.recipients = sent.recipients;
    } catch (err) {
      entry.error = err instanceof ActivityFailure && err.cause ? err.cause.message : String(err);
    }
    attempt.notices = [...(attempt.notices ?? []), entry];
  }

  async function runStep(step: PlanStep, stepState: StepState): Promise<StepEnd> {
    state.currentStep = step.key;
    stepState.startedAt = now();
    if (!compactAttributes) {
      upsertSearchAttributes([
        { key: CurrentStep, value: step.key },
        { key: CurrentAgency, value: stepState.agency },
        { key: StepDeadline, value: null },
      ]);
    }
    for (let attemptNo = 1; ; attemptNo++) {
      // A paused rollout: the task under way finishes, no new one opens until it resumes.
      if (patched(Patches.rolloutPause) && state.paused) await condition(() => !state.paused || cancelRequested);
      if (cancelRequested) return 'cancel';
      const attempt = await runAttempt(step, stepState, attemptNo);
      if (attempt.outcome === 'failed' && !attempt.supersededBy && patched(Patches.failedAwaitsDecision)) {
        // The agency could not deliver: a person decides (retry, skip, reassign, cancel); until then it is stuck.
        stepState.status = 'failed';
        stepState.stuck = true;
        upsertSearchAttributes([{ key: Stuck, value: true }, { key: StuckSince, value: new Date() }]);
        await condition(() => attempt.supersededBy !== undefined);
        stepState.stuck = false;
        upsertSearchAttributes([{ key: Stuck, value: false }, { key: StuckSince, value: null }]);
      }
      stepState.finishedAt = attempt.closedAt;
      if (attempt.supersededBy && attempt.agencyReference && !attempt.outcome && patched(Patches.withdrawSupersededTasks)) {
        await withdraw(step, attempt);
      }
      if (attempt.supersededBy === 'retry' || attempt.supersededBy === 'reassign') {
        if (attempt.supersededBy === 'reassign' && !compactAttributes) upsertSearchAttributes([{ key: CurrentAgency, value: stepState.agency }]);
        continue;
      }
      if (attempt.supersededBy === 'skip') {
        stepState.status = 'skipped';
        return 'continue';
      }
      if (attempt.supersededBy === 'cancel') {
        stepState.status = 'cancelled';
        return 'cancel';
      }
      if (attempt.outcome === 'completed') {
        stepState.status = 'completed';
        return 'continue';
      }
      if (attempt.outcome === 'failed') {
        stepState.status = 'failed';
        return 'fail';
      }
      const rule = step.onRejection;
      if (rule.action === 'retry' && attemptNo <= rule.maxRetries) continue;
      const then = rule.action === 'retry' ? rule.then : rule.action;
      stepState.status = then === 'skip' ? 'skipped' : 'rejected';
      return then === 'skip' ? 'continue' : 'stop';
    }
  }

  let end: StepEnd = 'continue';
  for (const [i, step] of plan.steps.entries()) {
    end = await runStep(step, state.steps[i]!);
    if (end !== 'continue') break;
  }
  const statusOf = { continue: 'completed', stop: 'rejected', fail: 'failed', cancel: 'cancelled' } as const;
  state.status = statusOf[end];
  state.finishedAt = now();
  if (end === 'continue') state.currentStep = undefined;
  const welfare = end === 'continue' && patched(Patches.welfareAttribute) ? [`before:${state.welfareStatus.before}`, `after:${state.welfareStatus.current}`] : undefined;
  upsertSearchAttributes([
    ...(welfare ? [{ key: Welfare, value: welfare }] : []),
    { key: RunOutcome, value: state.status },
    { key: StepDeadline, value: null },
    { key: CurrentTaskId, value: null },
    ...(end === 'continue' ? [{ key: CurrentStep, value: null }, { key: CurrentAgency, value: null }] : []),
  ]);
  await condition(allHandlersFinished);
  return state;
}
