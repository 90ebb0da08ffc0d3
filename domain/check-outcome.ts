import type { AttemptState, RunState, StepState } from './run-state';
import { FailureType } from './failure-types';
import { indicatorIssues, type Graduation, type IndicatorValue } from './graduation';
import { parseTaskId } from './ids';
import { taskResultSchemas, type TaskOutcome, type TaskProgress } from './task-outcome';

export type OutcomeCheck =
  | { ok: true; step: StepState; attempt: AttemptState }
  | { ok: false; type: FailureType; message: string; issues?: { path: string; message: string }[] };

/**
 * Decides whether a run may accept an outcome: the task must be one of this run's attempts,
 * reported by the agency that owns it, still open, and a completion must carry the result
 * its step kind requires. Pure, so the update validator and tests share it.
 */
export function checkOutcome(state: RunState, outcome: TaskOutcome, graduation?: Graduation, owner: TaskOwner = 'attempt'): OutcomeCheck {
  const found = findOpenAttempt(state, outcome, owner);
  if (!found.ok) return found;
  const { step } = found;
  if (outcome.outcome === 'completed') {
    const parsed = taskResultSchemas[step.kind].safeParse(outcome.result ?? {});
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ path: ['result', ...i.path].join('.'), message: i.message }));
      return { ok: false, type: FailureType.InvalidResult, message: `invalid result for a ${step.kind} step`, issues };
    }
    // Under graduation criteria a visit must report every indicator its request asked for.
    const missing = step.kind === 'follow-up-visit' && graduation ? indicatorIssues(graduation, (parsed.data as { indicators?: Record<string, IndicatorValue> }).indicators) : [];
    if (missing.length) return { ok: false, type: FailureType.InvalidResult, message: 'the visit did not report the indicators its request asked for', issues: missing };
  } else if (!outcome.reason) {
    return { ok: false, type: FailureType.InvalidResult, message: `a ${outcome.outcome} outcome needs a reason`, issues: [{ path: 'reason', message: 'required' }] };
  }
  return found;
}

/**
 * Whose a task is: its attempt's agency (after a reassignment the step's earlier attempts stay
 * their first agency's, never the new one's to report on); runs started before the patch
 * attemptOwnsTask keep the step's current agency, as their histories were decided by it.
 */
export type TaskOwner = 'attempt' | 'step';

/** An agency's news must be about one of this run's attempts, its own, and still open. */
export function findOpenAttempt(state: RunState, report: Pick<TaskProgress, 'taskId' | 'agency'>, owner: TaskOwner = 'attempt'): OutcomeCheck {
  const ref = parseTaskId(report.taskId);
  const step = ref && ref.runId === state.runId ? state.steps.find((s) => s.key === ref.stepKey) : undefined;
  const attempt = step?.attempts.find((a) => a.attempt === ref?.attempt);
  if (!step || !attempt) return { ok: false, type: FailureType.UnknownTask, message: `unknown task ${report.taskId}` };
  const agency = owner === 'attempt' ? (attempt.agency ?? step.agency) : step.agency;
  if (agency !== report.agency) {
    return { ok: false, type: FailureType.WrongAgency, message: `task ${report.taskId} belongs to ${agency}, not ${report.agency}` };
  }
  if (attempt.outcome) {
    return { ok: false, type: FailureType.TaskAlreadyClosed, message: `task ${report.taskId} is already ${attempt.outcome}` };
  }
  return { ok: true, step, attempt };
}
