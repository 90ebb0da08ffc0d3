import { ApplicationFailure } from '@temporalio/common';
import type { Agency } from '../../domain/agency';
import { FailureType } from '../../domain/failure-types';
import type { TaskOpenFailureReason, WorkerMetrics } from '../../lib/metrics';
import type { AgencyAdapter } from './agency-adapter';

const reasonOf: Partial<Record<string, TaskOpenFailureReason>> = {
  [FailureType.AgencyRejected]: 'rejected',
  [FailureType.AgencyBadRequest]: 'bad_request',
  [FailureType.AgencyUnavailable]: 'unavailable',
};

/**
 * The adapter, counting each task it opens once the agency has accepted it, and each failed
 * attempt by the failure's type (never its message, which may quote the agency's answer).
 */
export function countedAdapter(adapter: AgencyAdapter, agency: Agency, metrics: WorkerMetrics): AgencyAdapter {
  return {
    agency: adapter.agency,
    cancelTask: (request, reason, signal) => adapter.cancelTask(request, reason, signal),
    async openTask(request, signal) {
      try {
        const opened = await adapter.openTask(request, signal);
        metrics.taskOpened(agency);
        return opened;
      } catch (err) {
        const reason = signal.aborted ? 'cancelled' : ((err instanceof ApplicationFailure && err.type && reasonOf[err.type]) || 'error');
        metrics.taskOpenFailed(agency, reason);
        throw err;
      }
    },
  };
}
