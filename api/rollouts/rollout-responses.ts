import { z } from 'zod';
import { RolloutPaceSchema, RolloutStatusSchema } from '../../domain/rollout';
import type { RolloutSummary } from '../../temporal/visibility/rollout-page';
import type { Fits } from '../fits';

const counts = z.record(z.string(), z.number().int());

export const StartedRolloutSchema = z.object({
  rolloutId: z.string(),
  programId: z.string(),
  version: z.number().int(),
  cohortId: z.string(),
  households: z.number().int(),
  pace: RolloutPaceSchema,
});

export const RolloutPreviewSchema = z.object({
  cohortId: z.string(),
  programId: z.string(),
  version: z.number().int(),
  counts: z.object({ households: z.number().int(), eligible: z.number().int(), flagged: z.number().int(), excluded: z.number().int(), excludedBy: counts }),
  excluded: z.array(z.object({ householdId: z.string(), reason: z.string(), detail: z.string() })),
  flagged: z.array(z.object({ householdId: z.string(), reason: z.string(), detail: z.string() })),
  truncated: z.boolean(),
});

const ControlRecordSchema = z.looseObject({ action: z.string(), reason: z.string(), actor: z.string(), at: z.string() });

export const RolloutProgressSchema = z.object({
  rolloutId: z.string(),
  programId: z.string(),
  version: z.number().int(),
  cohortId: z.string(),
  startedBy: z.string(),
  startedAt: z.string(),
  status: RolloutStatusSchema,
  households: z.number().int(),
  starting: z.object({ read: z.number().int(), started: z.number().int(), flagged: z.number().int(), excluded: counts, allStarted: z.boolean() }),
  runs: z.object({
    total: z.number().int(),
    running: z.number().int(),
    completed: z.number().int(),
    rejected: z.number().int(),
    failed: z.number().int(),
    cancelled: z.number().int(),
    stuck: z.number().int(),
    byStep: counts,
  }),
  welfare: z.object({ completedRuns: z.number().int(), before: counts, after: counts }),
  operations: z.array(ControlRecordSchema),
  finishedAt: z.string().optional(),
});

export const ControlledRolloutSchema = z.object({ rolloutId: z.string(), status: RolloutStatusSchema, operation: ControlRecordSchema.optional() });

/** One rollout as visibility lists it; what older rollouts lack (set at start since issue 11) is absent. */
export const RolloutSummarySchema = z.object({
  rolloutId: z.string(),
  programId: z.string().optional(),
  version: z.number().int().optional(),
  cohortId: z.string().optional(),
  households: z.number().int().optional(),
  startedBy: z.string().optional(),
  startedAt: z.string().optional(),
  /** The rollout's own status (absent for rollouts started before it was recorded). */
  status: RolloutStatusSchema.optional(),
  temporalStatus: z.string(),
  closedAt: z.string().optional(),
});
const _summaryFits: Fits<RolloutSummary, typeof RolloutSummarySchema> = true;

export const RolloutPageSchema = z.object({ rollouts: z.array(RolloutSummarySchema), nextPageToken: z.string().optional() });
