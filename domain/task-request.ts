import type { Agency } from './agency';
import type { StepKind } from './step-kind';
import type { Household } from './household';

/** What an adapter needs to open one task at its agency (also what a ministry may read back). */
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
