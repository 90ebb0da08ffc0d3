import type { RejectionRule } from './program-plan';
import type { AttemptState, StepStatus } from './run-state';

/** Where the run goes once a step has ended: on to the next step, or to its end with that status. */
export type RunCourse = 'continue' | 'stop' | 'fail' | 'cancel';

/** What follows an attempt: another attempt of the step, a manager's decision, or the step's end. */
export type AfterAttempt =
  | { next: 'attempt' }
  | { next: 'decision' }
  | { next: 'step-ended'; status: Extract<StepStatus, 'completed' | 'skipped' | 'rejected' | 'failed' | 'cancelled'>; course: RunCourse };

const ended = (status: Extract<AfterAttempt, { next: 'step-ended' }>['status'], course: RunCourse): AfterAttempt => ({ next: 'step-ended', status, course });

/**
 * The end-of-step table, first matching row wins: a manager's operation, then the agency's
 * outcome, then the step's rejection rule (retried while `attemptNo` is within maxRetries).
 */
export function afterAttempt(attempt: Pick<AttemptState, 'outcome' | 'supersededBy'>, rule: RejectionRule, attemptNo: number): AfterAttempt {
  switch (attempt.supersededBy) {
    case 'retry':
    case 'reassign':
      return { next: 'attempt' };
    case 'skip':
      return ended('skipped', 'continue');
    case 'cancel':
      return ended('cancelled', 'cancel');
  }
  if (attempt.outcome === 'completed') return ended('completed', 'continue');
  // The agency could not deliver: a person decides (retry, skip, reassign, cancel).
  if (attempt.outcome === 'failed') return { next: 'decision' };
  if (rule.action === 'retry' && attemptNo <= rule.maxRetries) return { next: 'attempt' };
  const then = rule.action === 'retry' ? rule.then : rule.action;
  return then === 'skip' ? ended('skipped', 'continue') : ended('rejected', 'stop');
}

/** How a failed step ended runs recorded before failures waited for a manager's decision. */
export const failedWithoutDecision = ended('failed', 'fail');
