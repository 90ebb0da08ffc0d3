import { workflowInfo, type ActivityOptions } from '@temporalio/workflow';
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
    // The batch heartbeats after every few starts: a dead worker is noticed within this, and the
    // retry resumes from the last heartbeat.
    heartbeatTimeout: '1 minute',
    retry: { initialInterval: '2 seconds', maximumInterval: '1 minute' },
  },
  /** A manager's bulk operation; progress is heartbeated per run, so a dead worker is noticed within a minute. */
  bulk: {
    startToCloseTimeout: '2 hours',
    heartbeatTimeout: '1 minute',
    retry: { initialInterval: '5 seconds', maximumAttempts: 20 },
  },
  /** A cancelled rollout's runs are cancelled like a bulk operation, retried for as long as it takes. */
  rolloutCancel: {
    startToCloseTimeout: '2 hours',
    heartbeatTimeout: '1 minute',
    retry: { initialInterval: '5 seconds', maximumInterval: '1 minute' },
  },
  digest: {
    startToCloseTimeout: '10 minutes',
    retry: { initialInterval: '30 seconds', maximumAttempts: 10 },
  },
} satisfies Record<string, ActivityOptions>;

/** The options on the agency's own task queue, polled by that agency's worker. */
export function atAgency(options: ActivityOptions, agency: Agency): ActivityOptions {
  return { ...options, taskQueue: agencyTaskQueue(workflowInfo().taskQueue, agency) };
}
