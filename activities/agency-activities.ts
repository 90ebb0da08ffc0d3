import { Context } from '@temporalio/activity';
import type { AgencyAdapter, OpenedTask, TaskRequest } from './adapters/agency-adapter';

/**
 * Activities of one agency's worker. The task id is the agency's idempotency key, so a
 * retried or re-run activity never opens a second task.
 */
export function createAgencyActivities(adapter: AgencyAdapter) {
  return {
    async openTask(request: TaskRequest): Promise<OpenedTask> {
      return adapter.openTask(request, Context.current().cancellationSignal);
    },
    async cancelTask(request: TaskRequest, reason: string): Promise<void> {
      await adapter.cancelTask(request, reason, Context.current().cancellationSignal);
    },
  };
}

export type AgencyActivities = ReturnType<typeof createAgencyActivities>;
