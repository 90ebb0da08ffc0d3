import type { Agency, StepKind } from '../../domain/agency';
import type { Household } from '../../domain/household';

/** What an adapter needs to open one task at its agency. */
export interface TaskRequest {
  /** Also the idempotency key: the agency must answer a repeated request with the same task. */
  taskId: string;
  runId: string;
  stepKey: string;
  attempt: number;
  agency: Agency;
  kind: StepKind;
  parameters: Record<string, string | number | boolean>;
  household: Household;
}

export interface OpenedTask {
  /** The agency's own reference for the task. */
  agencyReference: string;
}

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
