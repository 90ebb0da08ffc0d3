import { z } from 'zod';
import { RolloutIdSchema } from './ids';
import { reasonText } from './text';
import { ProgramPlanSchema, type ProgramPlan } from './program-plan';
import type { ExclusionReason } from './screening';

export const CohortIdSchema = z.string().regex(/^c-[0-9a-f]{20}$/, 'must be a cohort id from POST /v1/cohorts');

/** How fast a rollout starts its runs: bounded, so the Temporal server is never flooded. */
export const RolloutPaceSchema = z.object({
  batchSize: z.number().int().min(1).max(2_000).default(200),
  startsPerSecond: z.number().min(1).max(5_000).default(100),
  /**
   * How often a rollout whose runs are all started checks whether they have all ended: a duration
   * Temporal's timers read ('1 minute', '30 s'), not zero; anything else would stop the rollout there.
   */
  watchEvery: z
    .string()
    .regex(/^(?=[^1-9]*[1-9])[0-9]{1,4} ?(?:ms|milliseconds?|s|seconds?|m|minutes?|h|hours?|d|days?)$/, "must be a duration such as '1 minute', '30 s' or '2 hours'")
    .default('1 minute'),
  /** Loop turns (batches, checks) before the rollout continues as new, keeping its history short. */
  turnsPerHistory: z.number().int().min(2).max(2_000).default(500),
});
export type RolloutPace = z.infer<typeof RolloutPaceSchema>;

export const RolloutInputSchema = z.object({
  rolloutId: RolloutIdSchema,
  plan: ProgramPlanSchema,
  cohortId: CohortIdSchema,
  households: z.number().int().min(0),
  startedBy: z.string(),
  startedAt: z.string(),
  reason: z.string().optional(),
  pace: RolloutPaceSchema,
});
export type RolloutInput = z.infer<typeof RolloutInputSchema>;

/**
 * What a rollout's list entry shows beyond its search attributes, kept in its memo at start so
 * a listing reads it from visibility without asking the workflow; no personal data.
 */
export const RolloutMemoSchema = RolloutInputSchema.pick({ cohortId: true, households: true, startedBy: true, startedAt: true }).extend({
  version: z.number().int(),
});
export type RolloutMemo = z.infer<typeof RolloutMemoSchema>;

export interface RolloutCounts {
  /** Households of the cohort read so far. */
  read: number;
  started: number;
  /** Enrolled despite a run of another program sharing a step kind (overlap policy "flag"). */
  flagged: number;
  excluded: Partial<Record<ExclusionReason, number>>;
}

export const RolloutStatusSchema = z.enum(['starting', 'running', 'paused', 'cancelling', 'cancelled', 'completed']);
export type RolloutStatus = z.infer<typeof RolloutStatusSchema>;

export interface RolloutControlRecord {
  action: 'pause' | 'resume' | 'cancel';
  reason: string;
  actor: string;
  at: string;
}

/** What the rollout workflow keeps, and carries over when it continues as new. */
export interface RolloutState {
  status: RolloutStatus;
  /** Offset in the cohort of the next household to start (cohort_households.start_offset: a row number, or a byte offset for a cohort first kept in a file). */
  nextOffset: number;
  allStarted: boolean;
  counts: RolloutCounts;
  paused: boolean;
  /** Bumped by every pause and resume; runs keep the highest they were told. */
  pauseSeq: number;
  /** The pauseSeq the runs have been told of. */
  toldSeq: number;
  operations: RolloutControlRecord[];
  finishedAt?: string;
  /** The number of the latest write to the records store (workflows/record-sequence.ts) (records/write-rollout.ts), carried across continue-as-new. */
  recordSeq?: number;
}

export const RolloutControlSchema = z.object({
  action: z.enum(['pause', 'resume', 'cancel']),
  reason: reasonText(500, 'give a reason of at least 3 characters other than spaces'),
});
export type RolloutControl = z.infer<typeof RolloutControlSchema>;

/** Whether a control applies to the rollout as it is; the message says why not. */
export function checkControl(state: RolloutState, action: RolloutControl['action']): string | undefined {
  if (state.status === 'cancelled' || state.status === 'cancelling' || state.status === 'completed') return `the rollout is ${state.status}`;
  if (action === 'pause' && state.paused) return 'the rollout is already paused';
  if (action === 'resume' && !state.paused) return 'the rollout is not paused';
  return undefined;
}

export function addCounts(a: RolloutCounts, b: RolloutCounts): RolloutCounts {
  const excluded = { ...a.excluded };
  for (const [reason, n] of Object.entries(b.excluded) as [ExclusionReason, number][]) excluded[reason] = (excluded[reason] ?? 0) + n;
  return { read: a.read + b.read, started: a.started + b.started, flagged: a.flagged + b.flagged, excluded };
}

export const noCounts = (): RolloutCounts => ({ read: 0, started: 0, flagged: 0, excluded: {} });

/** A rollout's state before its first batch. */
export const initialRolloutState = (): RolloutState => ({ status: 'starting', nextOffset: 0, allStarted: false, counts: noCounts(), paused: false, pauseSeq: 0, toldSeq: 0, operations: [] });

export const rolloutWorkflowId = (rolloutId: string) => `rollout:${rolloutId}`;

/** One batch of a rollout for the activity that screens and starts it. */
export interface StartBatchInput {
  rolloutId: string;
  plan: ProgramPlan;
  cohortId: string;
  fromOffset: number;
  pace: RolloutPace;
  startedBy: string;
}

export interface StartBatchResult {
  counts: RolloutCounts;
  nextOffset: number;
  end: boolean;
}
