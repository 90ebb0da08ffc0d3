import type { Agency } from '../../domain/agency';
import type { OpenedTask, TaskRequest } from '../../domain/task-request';

/**
 * One per agency, each speaking that agency's own API. Throws ApplicationFailure of type
 * AgencyRejected (the agency said no), AgencyBadRequest (it refused the request as malformed)
 * or AgencyUnavailable (retry later); see domain/failure-types.ts.
 */
export interface AgencyAdapter {
  readonly agency: Agency;
  openTask(request: TaskRequest, signal: AbortSignal): Promise<OpenedTask>;
  /** Withdraws a task opened before; nothing happens if the agency does not know it. */
  cancelTask(request: TaskRequest, reason: string, signal: AbortSignal): Promise<void>;
}
