import type { Agency } from './agency';
import type { StepKind } from './step-kind';
import type { OperationName } from './operation-name';
import type { TaskOutcomeKind, TaskProgress } from './task-outcome';
import type { WelfareStatus } from './welfare-status';

export type StepStatus = 'pending' | 'opening' | 'open' | 'completed' | 'rejected' | 'failed' | 'skipped' | 'cancelled';
export type RunStatus = 'running' | 'completed' | 'rejected' | 'failed' | 'cancelled';

export interface AttemptState {
  attempt: number;
  taskId: string;
  /** The agency asked (a reassigned step's later attempts go elsewhere). */
  agency?: Agency;
  openedAt?: string;
  deadline?: string;
  closedAt?: string;
  outcome?: TaskOutcomeKind;
  result?: Record<string, unknown>;
  reason?: string;
  /** The webhook id (or "adapter") that closed this attempt. */
  closedBy?: string;
  /** The agency's own reference for the task, if it gave one. */
  agencyReference?: string;
  acknowledgedAt?: string;
  /** The agency's progress reports, oldest first (the latest 50 are kept). */
  progress?: ProgressEntry[];
  /** The manager's operation that ended this attempt before its outcome (retry, skip, reassign, cancel). */
  supersededBy?: Exclude<OperationName, 'extend'>;
  /** A superseded task withdrawn at its agency, or why that could not be done. */
  withdrawnAt?: string;
  withdrawalError?: string;
  /** Reminder, breach and escalation notices sent (or that could not be sent) for this attempt. */
  notices?: Notice[];
}

export interface Notice {
  kind: 'reminder' | 'breach' | 'escalation';
  at: string;
  recipients?: number;
  /** Why it could not be sent, after retries. */
  error?: string;
}

export interface ProgressEntry {
  kind: TaskProgress['kind'];
  at: string;
  data?: Record<string, unknown>;
  note?: string;
  /** The webhook id that brought it. */
  source: string;
}

export interface StepState {
  key: string;
  agency: Agency;
  kind: StepKind;
  title: string;
  status: StepStatus;
  /** The current (latest) attempt's task id. */
  taskId?: string;
  startedAt?: string;
  finishedAt?: string;
  stuck: boolean;
  attempts: AttemptState[];
}

/** What runStateQuery returns: the whole state of one household's run. */
export interface RunState {
  runId: string;
  rolloutId: string;
  programId: string;
  programVersion: number;
  householdId: string;
  region: string;
  status: RunStatus;
  currentStep?: string;
  startedAt: string;
  finishedAt?: string;
  welfareStatus: { before: WelfareStatus; current: WelfareStatus };
  /** The rollout is paused: the task under way finishes, no new one opens. */
  paused?: boolean;
  steps: StepState[];
  /** Managers' operations, in order, each with who, when and why. */
  operations?: OperationRecord[];
}

export interface OperationRecord {
  op: OperationName;
  stepKey?: string;
  reason: string;
  actor: string;
  at: string;
  /** extend: the new deadline; reassign: the new agency. */
  detail?: string;
}
