import type { RolloutInput, RolloutState } from './rollout';
import type { RunState } from './run-state';

/**
 * What a workflow hands the records store (records/) at each moment of its run, numbered
 * (workflows/record-sequence.ts): the number only grows within a run, a replacement worker's
 * writes included, so a write that arrives late (a retried or replayed activity) is recognised
 * as older and dropped.
 */
export interface RunRecordInput {
  seq: number;
  state: RunState;
  /** The plan's amount (Rupiah) of each step that moves money, by step key. */
  plannedAmounts?: Record<string, number>;
  /** Since when the run is stuck (a step past its deadline or failed, a decision overdue); absent while it is not. */
  stuckSince?: string;
}

export interface RolloutRecordInput {
  seq: number;
  input: RolloutInput;
  state: RolloutState;
}
