import type { BulkOperationInput, BulkOperationResult } from './bulk-operation';
import type { RolloutRecordInput, RunRecordInput } from './records';
import type { StartBatchInput, StartBatchResult } from './rollout';
import type { SlaNotice } from './sla-notice';
import type { OpenedTask, TaskRequest } from './task-request';

/**
 * The activities workflows call, as contracts: workflows proxy these types, and the factories
 * in activities/ are declared to return them, so the compiler holds both sides to one shape.
 */

/** One agency's worker: its queue is `<task queue>.<agency>`. The task id is the idempotency key. */
export interface AgencyActivities {
  openTask(request: TaskRequest): Promise<OpenedTask>;
  cancelTask(request: TaskRequest, reason: string): Promise<void>;
}

export interface NotificationActivities {
  /** Sends a notice by e-mail; throws (and is retried) when the mail server will not take it. */
  notifySla(notice: SlaNotice): Promise<{ recipients: number }>;
}

export interface DigestActivities {
  sendDailyDigests(): Promise<{ managers: number; stuckSteps: number }>;
}

export interface BulkActivities {
  applyBulkOperation(input: BulkOperationInput): Promise<BulkOperationResult>;
}

export interface RolloutActivities {
  /** Screens and starts one batch of the cohort, heartbeating its position. */
  startRolloutBatch(input: StartBatchInput): Promise<StartBatchResult>;
  /** Tells every running run of the rollout that it is paused or resumed; answers how many were told. */
  tellRunsOfPause(input: { rolloutId: string; paused: boolean; seq: number }): Promise<number>;
  countOpenRuns(rolloutId: string): Promise<number>;
}

/** The records store (PostgreSQL): where a run and a rollout stand, written as local activities. */
export interface RecordActivities {
  recordRun(input: RunRecordInput): Promise<void>;
  recordRollout(input: RolloutRecordInput): Promise<void>;
}
