import { Context } from '@temporalio/activity';
import type { AgencyActivities } from '../domain/activity-contracts';
import type { AgencyAdapter } from './adapters/agency-adapter';

/**
 * Activities of one agency's worker. The task id is the agency's idempotency key, so a
 * retried or re-run activity never opens a second task.
 */
export function createAgencyActivities(adapter: AgencyAdapter): AgencyActivities {
  return {
    async openTask(request) {
      return adapter.openTask(request, Context.current().cancellationSignal);
    },
    async cancelTask(request, reason) {
      await adapter.cancelTask(request, reason, Context.current().cancellationSignal);
    },
  };
}
