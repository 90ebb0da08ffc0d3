import type { StepOperation } from './step-operation';

export interface BulkOperationInput {
  operationId: string;
  /** The visibility query the filter became, fixed when the operation was started. */
  query: string;
  operation: StepOperation;
  actor: string;
}

export interface BulkOperationResult {
  matched: number;
  done: number;
  applied: number;
  refused: number;
  /** The first refusals, with the run's reason (the step moved on, the run ended...). */
  refusals: { runId: string; reason: string }[];
}
