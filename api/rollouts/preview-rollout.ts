import { z } from 'zod';
import { householdBatches } from '../../cohort/cohort-files';
import { RolloutIdSchema } from '../../domain/ids';
import { CohortIdSchema } from '../../domain/rollout';
import { screenHousehold, type ExclusionReason } from '../../domain/screening';
import { activeRunsOf } from '../../temporal/visibility/active-runs';
import type { ApiDeps } from '../api-deps';
import { rethrowTemporalError } from '../temporal-errors';
import { cohortFile, pinnedPlan } from './pinned-plan';

export const PreviewRolloutRequestSchema = z.object({
  cohortId: CohortIdSchema,
  programId: z.string().min(1),
  version: z.number().int().min(1).optional(),
  /** The rollout to be started, if known: its own runs then count as enrolled, not as overlaps. */
  rolloutId: RolloutIdSchema.optional(),
});
export type PreviewRolloutRequest = z.infer<typeof PreviewRolloutRequestSchema>;

const listedExclusions = 1_000;

/** Who a rollout would enrol, and who not and why; starts nothing. */
export async function previewRollout(deps: ApiDeps, request: PreviewRolloutRequest) {
  const plan = await pinnedPlan(deps, request.programId, request.version);
  const file = cohortFile(deps, request.cohortId);
  const excludedBy: Partial<Record<ExclusionReason, number>> = {};
  const excluded: { householdId: string; reason: ExclusionReason; detail: string }[] = [];
  const flagged: { householdId: string; reason: string; detail: string }[] = [];
  let households = 0;
  let eligible = 0;
  let flaggedCount = 0;
  try {
    for await (const batch of householdBatches(file, 400)) {
      const active = await activeRunsOf(deps.client, deps.namespace, batch.map((h) => h.familyCardNumber));
      for (const household of batch) {
        households += 1;
        const s = screenHousehold(plan, request.rolloutId ?? '', household, active.get(household.familyCardNumber) ?? []);
        if (s.decision === 'exclude') {
          excludedBy[s.reason] = (excludedBy[s.reason] ?? 0) + 1;
          if (excluded.length < listedExclusions) excluded.push({ householdId: household.familyCardNumber, reason: s.reason, detail: s.detail });
          continue;
        }
        eligible += 1;
        if (s.decision === 'enrol' && s.flag) {
          flaggedCount += 1;
          if (flagged.length < listedExclusions) flagged.push({ householdId: household.familyCardNumber, ...s.flag });
        }
      }
    }
  } catch (err) {
    rethrowTemporalError(err);
  }
  return {
    cohortId: request.cohortId,
    programId: plan.programId,
    version: plan.version,
    counts: { households, eligible, flagged: flaggedCount, excluded: households - eligible, excludedBy },
    excluded,
    flagged,
    /** True when more households were excluded or flagged than are listed here. */
    truncated: households - eligible > excluded.length || flaggedCount > flagged.length,
  };
}
