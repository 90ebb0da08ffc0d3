import { ActivityFailure, ApplicationFailure, allHandlersFinished, condition, proxyActivities, proxyLocalActivities, setHandler, type ActivityOptions } from '@temporalio/workflow';
import type { AgencyActivities, NotificationActivities, RecordActivities } from '../domain/activity-contracts';
import type { Agency } from '../domain/agency';
import { checkOutcome, findOpenAttempt, type TaskOwner } from '../domain/check-outcome';
import { applyGraduationDecision, assessForDecision, checkAfterGraduation, decisionOverdueNotice } from '../domain/graduation-run';
import { runStepOf } from '../domain/graduation-steps';
import type { PlanStep } from '../domain/program-plan';
import {
  applyOperation,
  attemptClock,
  cancelRequested,
  closeAttempt,
  closeRefusedAttempt,
  endRun,
  escalationDelayMs,
  initialRunState,
  isClosed,
  needsWithdrawal,
  noticeSent,
  openAttempt,
  plannedAmounts,
  recordProgress,
  refusalOutcome,
  reminderAt,
  requestOfTask,
  runClockOf,
  slaNoticeOf,
  startStep,
  stepAsAssigned,
  stepDeadline,
  taskOpened,
  taskRequestOf,
  withdrawalReason,
} from '../domain/run-machine';
import type { AssessmentRecord, AttemptState, Notice, RunState, StepState } from '../domain/run-state';
import type { SlaNotice } from '../domain/sla-notice';
import { afterAttempt, failedWithoutDecision, type RunCourse } from '../domain/step-end';
import { checkOperation } from '../domain/step-operation';
import { activityOptions, atAgency } from './activity-options';
import type { HouseholdRunInput } from './household-run-input';
import { operateUpdate, reportOutcomeUpdate, reportProgressUpdate, rolloutPauseSignal, runStateQuery, taskRequestQuery } from './household-run-messages';
import { oneAtATime } from './one-at-a-time';
import { Patches, runPatches } from './patches';
import { recordSequence } from './record-sequence';
import * as attributes from './run-search-attributes';

const agencyActivities = (agency: Agency, options: ActivityOptions) => proxyActivities<AgencyActivities>(atAgency(options, agency));
const notifications = proxyActivities<NotificationActivities>(activityOptions.notify);
const records = proxyLocalActivities<RecordActivities>(activityOptions.record);
const failureMessage = (err: unknown) => (err instanceof ActivityFailure && err.cause ? err.cause.message : String(err));

/**
 * One household through one program: each step's task is opened at its agency, then its
 * outcome awaited. What each event does to the run is decided in domain/run-machine.ts and
 * domain/step-end.ts; this function decides when (waits, timers, activities, patches).
 */
export async function householdRun(input: HouseholdRunInput): Promise<RunState> {
  const { plan, household } = input;
  const state = initialRunState(input, new Date());
  const clock = runClockOf(input);
  // Before any patch is asked for (patches.ts): a run started now records one marker, not one per patch.
  const patched = runPatches();
  // Asked here, in the first activation: the update handlers below check each report with it.
  const taskOwner: TaskOwner = patched(Patches.attemptOwnsTask) ? 'attempt' : 'step';

  // Set once the patches are known (below): a message a handler accepts before then is not written on its own.
  let recordingEveryChange = false;
  let foldingOutcomeWrites = false;
  // The attempt whose outcome the run is blocked waiting for, if it is.
  let awaitingOutcomeOf: AttemptState | undefined;
  setHandler(runStateQuery, () => state);
  setHandler(taskRequestQuery, (taskId) => requestOfTask(state, input, taskId));
  setHandler(
    reportOutcomeUpdate,
    (outcome) => {
      const check = checkOutcome(state, outcome, plan.graduation, taskOwner);
      if (!check.ok) throw ApplicationFailure.nonRetryable(check.message, check.type);
      closeAttempt(state, check.attempt, outcome, new Date());
      // A run waiting for this outcome moves on in this activation and writes before anything else it awaits: its write holds the outcome.
      return answerRecorded(check.attempt, foldingOutcomeWrites && awaitingOutcomeOf === check.attempt);
    },
    {
      validator: (outcome) => {
        const check = checkOutcome(state, outcome, plan.graduation, taskOwner);
        if (!check.ok) throw ApplicationFailure.create({ type: check.type, message: check.message, nonRetryable: true, details: check.issues ? [check.issues] : [] });
      },
    },
  );
  setHandler(
    reportProgressUpdate,
    (report) => {
      const found = findOpenAttempt(state, report, taskOwner);
      if (!found.ok) throw ApplicationFailure.nonRetryable(found.message, found.type);
      recordProgress(plan, found.step.key, found.attempt, report, new Date(), clock);
      return answerRecorded(found.attempt);
    },
    {
      validator: (report) => {
        const found = findOpenAttempt(state, report, taskOwner);
        if (!found.ok) throw ApplicationFailure.create({ type: found.type, message: found.message, nonRetryable: true });
      },
    },
  );

  const compactAttributes = patched(Patches.stepAttributesOnce);
  // Where the run stands, written to the records store at each moment visibility is told of too.
  const recording = patched(Patches.recordsStore);
  const amounts = recording ? plannedAmounts(plan) : {};
  const nextSeq = recordSequence();
  let stuckSince: string | undefined;
  // Each message accepted and each notice sent is written before it is answered, so the records store reads as the run stands (the API reads runs there: api/runs/read-run-state.ts).
  recordingEveryChange = recording && patched(Patches.recordsEveryChange);
  foldingOutcomeWrites = recordingEveryChange && patched(Patches.foldOutcomeWrite);
  // Handlers write too: one write at a time.
  const inOrder = oneAtATime(recordingEveryChange);
  // Answers waiting for the run's next write rather than a write of their own.
  const awaitingNextWrite: ((written: Promise<unknown>) => void)[] = [];
  async function record(): Promise<void> {
    if (!recording) return;
    await inOrder(() => {
      const written = records.recordRun({ seq: nextSeq(), state, plannedAmounts: amounts, ...(stuckSince && { stuckSince }) });
      for (const resolve of awaitingNextWrite.splice(0)) resolve(written);
      return written;
    });
  }
  /**
   * A handler's answer once the change is written: as the message left the run, not as the run has
   * gone on by the time the write is done. A run from before the patch answers at once, as it did:
   * even an await on nothing would move its answer after the run's next commands. `byTheRun`: the
   * run writes next (it was waiting for this message), and that write holds the change: one write
   * instead of the handler's and then the run's, both done before the answer (the SDK sends an
   * update's answer with the workflow task, which stays open while a write scheduled in it runs).
   */
  function answerRecorded<T>(answer: T, byTheRun = false): T | Promise<T> {
    if (!recordingEveryChange) return answer;
    const asLeft = answer === undefined ? answer : (JSON.parse(JSON.stringify(answer)) as T);
    if (byTheRun) return new Promise<unknown>((resolve) => awaitingNextWrite.push(resolve)).then(() => asLeft);
    return record().then(() => asLeft);
  }
  /**
   * Whether an answer left to the run's next write (answerRecorded) waits: checked before the run
   * awaits an activity, which writes first so that the answer is not kept waiting for it. None
   * does, as the run is written (it writes before anything else once an outcome it waited for
   * comes); the check keeps it so if an await is added on the way. Synchronous: a run before the
   * patch, which never has one, runs exactly as it did, not one microtask later.
   */
  const answersWaitForAWrite = () => awaitingNextWrite.length > 0;
  /** A wait for the attempt's outcome, during which an outcome's answer is left to the run's next write. */
  async function awaitingOutcome<T>(attempt: AttemptState, wait: Promise<T>): Promise<T> {
    awaitingOutcomeOf = attempt;
    try {
      return await wait;
    } finally {
      awaitingOutcomeOf = undefined;
    }
  }
  async function markStuck(): Promise<void> {
    attributes.stepStuck();
    stuckSince = new Date().toISOString();
    await record();
  }
  async function markUnstuck(deadline?: string): Promise<void> {
    attributes.stepUnstuck(deadline);
    stuckSince = undefined;
    await record();
  }
  let pauseSeq = 0;
  setHandler(rolloutPauseSignal, ({ paused, seq }) => {
    if (seq <= pauseSeq) return;
    pauseSeq = seq;
    state.paused = paused;
    return answerRecorded(undefined);
  });
  setHandler(
    operateUpdate,
    (op) => {
      const check = checkOperation(state, op);
      if (!check.ok) throw ApplicationFailure.nonRetryable(check.message, check.type);
      applyOperation(state, op, check.step, new Date(), clock);
      return answerRecorded(state);
    },
    {
      validator: (op) => {
        const check = checkOperation(state, op);
        if (!check.ok) throw ApplicationFailure.create({ type: check.type, message: check.message, nonRetryable: true });
      },
    },
  );

  async function runAttempt(planStep: PlanStep, stepState: StepState, attemptNo: number): Promise<AttemptState> {
    const step = stepAsAssigned(planStep, stepState);
    const attempt = openAttempt(state, stepState, attemptNo);
    // Counted in the region's zone against the pinned calendar from this attempt on; an attempt an older worker opened stays elapsed time.
    const counting = clock && patched(Patches.regionalDeadlines) ? clock : undefined;
    const projectedDeadline = stepDeadline(step, new Date(), counting).at.getTime();
    if (compactAttributes) attributes.attemptOpened(step.key, step.agency, attempt.taskId, projectedDeadline);
    // Added after v1 histories were recorded: runs started before it skip this command on replay.
    else if (patched(Patches.currentTaskIdAttribute)) attributes.taskIdKnown(attempt.taskId);
    await record();
    try {
      const opened = await agencyActivities(step.agency, activityOptions.openTask).openTask(taskRequestOf(state.runId, household, step, attemptNo, plan));
      if (!taskOpened(stepState, attempt, opened, step, new Date(), counting)) return attempt;
    } catch (err) {
      const failure = err instanceof ActivityFailure && err.cause instanceof ApplicationFailure ? err.cause : undefined;
      const outcome = refusalOutcome(failure?.type);
      if (!failure || !outcome) throw err;
      closeRefusedAttempt(state, attempt, { agency: step.agency, outcome, reason: failure.message }, new Date());
      await record();
      return attempt;
    }
    // The projected deadline stands unless opening took long (an agency down for a while).
    attributes.deadlineKnown(attempt.deadline!, compactAttributes ? projectedDeadline : undefined);
    await record();
    await awaitOutcome(step, attempt, stepState);
    return attempt;
  }

  /**
   * Waits for the outcome with durable timers: a reminder to the agency's focal point at the
   * plan's share of the SLA (in the region's office hours, for an attempt counted by the run's
   * clock), then at the deadline the step is stuck (listable) and the region's manager is told,
   * and after a further period the level above. A progress report that moves
   * the deadline (where the plan allows) restarts the wait. Runs recorded before notifications
   * existed replay the v1 path (no reminder or escalation timers).
   */
  async function awaitOutcome(step: PlanStep, attempt: AttemptState, stepState: StepState): Promise<void> {
    const notifying = patched(Patches.slaNotifications);
    const closed = () => isClosed(attempt);
    // A timer that fires in the activation that brings the outcome loses to it: no e-mail, no stuck
    // mark, so that the run's next write comes before anything else it awaits (answerRecorded).
    const closedMeanwhile = () => foldingOutcomeWrites && closed();
    // A run from before the patch awaits the condition itself, as it did (not one microtask more).
    function waitFor(until: () => boolean): Promise<void>;
    function waitFor(until: () => boolean, timeoutMs: number): Promise<boolean>;
    function waitFor(until: () => boolean, timeoutMs?: number): Promise<boolean | void> {
      const wait: Promise<boolean | void> = timeoutMs === undefined ? condition(until) : condition(until, timeoutMs);
      return foldingOutcomeWrites ? awaitingOutcome(attempt, wait) : wait;
    }
    while (!closed()) {
      const deadline = attempt.deadline!;
      const closedOrMoved = () => closed() || attempt.deadline !== deadline;
      const remindAt = reminderAt(step, deadline, attemptClock(attempt, clock));
      if (notifying && !noticeSent(attempt, 'reminder') && remindAt > Date.now()) {
        if ((await waitFor(closedOrMoved, remindAt - Date.now())) || closedMeanwhile()) continue;
        await notify(slaNoticeOf(state, step, attempt, 'reminder'), attempt);
      }
      if (await waitFor(closedOrMoved, Math.max(Date.parse(deadline) - Date.now(), 1))) {
        if (!closed()) {
          attributes.deadlineMoved(attempt.deadline!);
          await record();
        }
        continue;
      }
      if (closedMeanwhile()) continue;
      stepState.stuck = true;
      await markStuck();
      if (notifying && !noticeSent(attempt, 'breach')) await notify(slaNoticeOf(state, step, attempt, 'breach'), attempt);
      if (notifying && !noticeSent(attempt, 'escalation')) {
        if (!(await waitFor(closedOrMoved, escalationDelayMs(step))) && !closedMeanwhile()) await notify(slaNoticeOf(state, step, attempt, 'escalation'), attempt);
      }
      await waitFor(closedOrMoved);
      stepState.stuck = false;
      await markUnstuck(closed() ? undefined : attempt.deadline);
    }
  }

  /** Withdraws a superseded task at the agency that has it; a failure is recorded, never breaks the run. */
  async function withdraw(step: PlanStep, attempt: AttemptState): Promise<void> {
    if (answersWaitForAWrite()) await record();
    const agency = attempt.agency ?? step.agency;
    try {
      await agencyActivities(agency, activityOptions.withdrawTask).cancelTask(taskRequestOf(state.runId, household, { ...step, agency }, attempt.attempt, plan), withdrawalReason(state, attempt));
      attempt.withdrawnAt = new Date().toISOString();
    } catch (err) {
      attempt.withdrawalError = failureMessage(err);
    }
  }

  /** E-mails a notice and records it on what it is about (an attempt, an assessment); a failure to notify is recorded and never breaks the run. */
  async function notify(notice: SlaNotice, about: { notices?: Notice[] }): Promise<void> {
    if (answersWaitForAWrite()) await record();
    const entry: Notice = { kind: notice.kind, at: new Date().toISOString() };
    try {
      entry.recipients = (await notifications.notifySla(notice)).recipients;
    } catch (err) {
      entry.error = failureMessage(err);
    }
    about.notices = [...(about.notices ?? []), entry];
    if (recordingEveryChange) await record();
  }

  /** A failed attempt: stuck until a manager retries, skips, reassigns or cancels. */
  async function awaitDecision(stepState: StepState, attempt: AttemptState): Promise<void> {
    stepState.status = 'failed';
    stepState.stuck = true;
    await markStuck();
    await condition(() => attempt.supersededBy !== undefined);
    stepState.stuck = false;
    await markUnstuck();
  }

  async function runStep(step: PlanStep, stepState: StepState): Promise<RunCourse> {
    startStep(state, stepState, new Date());
    if (!compactAttributes) attributes.stepStarted(step.key, stepState.agency);
    for (let attemptNo = 1; ; attemptNo++) {
      // A paused rollout: the task under way finishes, no new one opens until it resumes.
      if (patched(Patches.rolloutPause) && state.paused) {
        // The step before, ended, is read from the records while the run waits.
        if (recordingEveryChange) await record();
        await condition(() => !state.paused || cancelRequested(state));
      }
      if (cancelRequested(state)) return 'cancel';
      const attempt = await runAttempt(step, stepState, attemptNo);
      let next = afterAttempt(attempt, step.onRejection, attemptNo);
      if (next.next === 'decision') {
        if (patched(Patches.failedAwaitsDecision)) {
          await awaitDecision(stepState, attempt);
          next = afterAttempt(attempt, step.onRejection, attemptNo);
        } else next = failedWithoutDecision;
      }
      stepState.finishedAt = attempt.closedAt;
      if (needsWithdrawal(attempt) && patched(Patches.withdrawSupersededTasks)) await withdraw(step, attempt);
      if (attempt.supersededBy === 'reassign' && !compactAttributes) attributes.agencyChanged(stepState.agency);
      if (next.next === 'step-ended') {
        stepState.status = next.status;
        return next.course;
      }
    }
  }

  /**
   * After the last planned visit the evidence decides (domain/graduation-run.ts): an extension's
   * visits run like planned steps, then the evidence decides again; a graduated household is
   * visited again at the times the plan sets, on durable timers, and a relapse is recorded.
   * Only plans with graduation criteria come here, so runs of earlier plans replay unchanged.
   */
  async function graduate(): Promise<RunCourse> {
    const { approval } = plan.graduation!;
    for (;;) {
      const added = state.steps.length;
      const now = new Date();
      // Counted by the run's clock and e-mailed when it passes from this assessment on; one an older worker made stays elapsed time, unannounced.
      const approvalSla = approval.required && patched(Patches.graduationApprovalSla);
      const approvalDue = stepDeadline({ sla: approval.sla, slaDays: approval.slaDays ?? 'calendar' }, now, approvalSla ? clock : undefined);
      const entry = assessForDecision(state, plan, now, approvalDue);
      if (!entry.decision && (await awaitGraduationDecision(entry, approvalSla)) === 'cancel') return 'cancel';
      applyGraduationDecision(state, plan, entry.decision!, new Date());
      attributes.graduationDecided(state);
      await record();
      if (entry.decision !== 'extend') break;
      for (const stepState of state.steps.slice(added)) {
        const course = await runStep(runStepOf(plan, stepState.key)!, stepState);
        if (course !== 'continue') return course;
      }
    }
    for (const stepState of state.steps.filter((s) => s.notBefore)) {
      // The visit before, ended, is read from the records while the run waits; a manager's cancel ends the wait as it ends a step.
      if (recordingEveryChange) await record();
      if (await condition(() => cancelRequested(state), Math.max(Date.parse(stepState.notBefore!) - Date.now(), 1))) return 'cancel';
      const course = await runStep(runStepOf(plan, stepState.key)!, stepState);
      if (course !== 'continue') return course;
      if (state.graduation!.evidence.some((e) => e.stepKey === stepState.key)) {
        if (checkAfterGraduation(state, plan, stepState.key, new Date()).relapsed) {
          attributes.graduationDecided(state);
          await record();
        }
      }
    }
    return 'continue';
  }

  /**
   * A manager decides (approves or overrules the proposed decision); past the plan's approval
   * SLA the run is stuck, listed with the other stuck steps, until the manager does, and (where
   * `notifying`) the region's manager is e-mailed, once: each assessment is awaited once.
   */
  async function awaitGraduationDecision(entry: AssessmentRecord, notifying: boolean): Promise<RunCourse> {
    const decided = () => entry.decision !== undefined || cancelRequested(state);
    attributes.decisionAwaited(entry.approvalDeadline!);
    await record();
    if (!(await condition(decided, Math.max(Date.parse(entry.approvalDeadline!) - Date.now(), 1)))) {
      await markStuck();
      if (notifying) await notify(decisionOverdueNotice(state, plan, entry), entry);
      await condition(decided);
      await markUnstuck();
    }
    return cancelRequested(state) ? 'cancel' : 'continue';
  }

  let course: RunCourse = 'continue';
  for (const [i, step] of plan.steps.entries()) {
    course = await runStep(step, state.steps[i]!);
    if (course !== 'continue') break;
  }
  if (course === 'continue' && plan.graduation) course = await graduate();
  endRun(state, course, new Date());
  // Every ended run's welfare facts: a cancelled run that paid out micro-capital still counts as received.
  attributes.runEnded(state, patched(Patches.welfareAttribute));
  await record();
  await condition(allHandlersFinished);
  return state;
}
