import { workflowInfo, type ActivityOptions, type LocalActivityOptions } from '@temporalio/workflow';
import type { Agency } from '../domain/agency';
import { nonRetryableActivityFailures } from '../domain/failure-types';
import { agencyTaskQueue } from '../domain/task-queues';

/** The activity options of every workflow, by what the activity does. */
export const activityOptions = {
  /** Opening a task retries until the agency answers, unless it refuses the request. */
  openTask: {
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '2 minutes', nonRetryableErrorTypes: nonRetryableActivityFailures },
  },
  /** Withdrawing is best effort: a few tries, then recorded, and the run goes on. */
  withdrawTask: {
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumAttempts: 5, nonRetryableErrorTypes: nonRetryableActivityFailures },
  },
  /** A notice that cannot be sent after a few tries is recorded, never breaks the run. */
  notify: {
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumAttempts: 5 },
  },
  rolloutBatch: {
    startToCloseTimeout: '1 hour',
    // The batch heartbeats all along (activities/while-heartbeating.ts, every 2.5 s; the SDK sends
    // one per 8 s at most): a dead worker is noticed within this, and the retry, a second later,
    // resumes from the last heartbeat, so the rollout goes on within about 12 s.
    heartbeatTimeout: '10 seconds',
    retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
  },
  /** A manager's bulk operation; heartbeated all along, so a dead worker is noticed within 10 s. */
  bulk: {
    startToCloseTimeout: '2 hours',
    heartbeatTimeout: '10 seconds',
    retry: { initialInterval: '2 seconds', maximumAttempts: 20 },
  },
  /** A cancelled rollout's runs are cancelled like a bulk operation, retried for as long as it takes. */
  rolloutCancel: {
    startToCloseTimeout: '2 hours',
    heartbeatTimeout: '10 seconds',
    retry: { initialInterval: '2 seconds', maximumInterval: '1 minute' },
  },
  /**
   * A records-store write: a local activity, retried until the database takes it (the run waits
   * rather than go on with its records behind); each write is idempotent.
   */
  record: {
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
  },
  digest: {
    startToCloseTimeout: '10 minutes',
    retry: { initialInterval: '30 seconds', maximumAttempts: 10 },
  },
} satisfies Record<string, ActivityOptions | LocalActivityOptions>;

/** The options on the agency's own task queue, polled by that agency's worker. */
export function atAgency(options: ActivityOptions, agency: Agency): ActivityOptions {
  return { ...options, taskQueue: agencyTaskQueue(workflowInfo().taskQueue, agency) };
}
