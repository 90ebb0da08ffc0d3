import { z } from 'zod';
import { householdBatches } from '../../cohort/cohort-households';
import { ProgramIdSchema, RolloutIdSchema } from '../../domain/ids';
import { ProgramVersionSchema } from '../../domain/program-plan';
import type { RegionScope } from '../../domain/region-scope';
import { addCounts, CohortIdSchema, noCounts } from '../../domain/rollout';
import { screenBatch, type Exclusion } from '../../domain/screening';
import { screeningFactsOf } from '../../temporal/visibility/active-runs';
import type { ApiDeps } from '../api-deps';
import { rethrowTemporalError } from '../temporal-errors';
import { checkCohortInScope } from './cohort-scope';
import { pinnedPlan, requireCohort } from './pinned-plan';

export const PreviewRolloutRequestSchema = z.object({
  cohortId: CohortIdSchema,
  programId: ProgramIdSchema,
  version: ProgramVersionSchema.optional(),
  /** The rollout to be started, if known: its own runs then count as enrolled, not as overlaps. */
  rolloutId: RolloutIdSchema.optional(),
});
export type PreviewRolloutRequest = z.infer<typeof PreviewRolloutRequestSchema>;

const listedExclusions = 1_000;

/** Who a rollout would enrol, and who not and why; starts nothing. Refused for a cohort reaching outside the caller's regions. */
export async function previewRollout(deps: ApiDeps, request: PreviewRolloutRequest, scope: RegionScope) {
  const plan = await pinnedPlan(deps, request.programId, request.version);
  await requireCohort(deps, request.cohortId);
  await checkCohortInScope(deps.records, request.cohortId, scope);
  let counts = noCounts();
  const excluded: Exclusion[] = [];
  const flagged: Exclusion[] = [];
  try {
    for await (const households of householdBatches(deps.records, request.cohortId, 400)) {
      const { active, receipts } = await screeningFactsOf(deps.client, deps.namespace, plan, households.map((h) => h.familyCardNumber), deps.householdKeyOf);
      const batch = screenBatch(plan, request.rolloutId ?? '', households, active, receipts);
      counts = addCounts(counts, batch.counts);
      for (const { flaggedOnly, ...e } of batch.exclusions) {
        const list = flaggedOnly ? flagged : excluded;
        if (list.length < listedExclusions) list.push(e);
      }
    }
  } catch (err) {
    rethrowTemporalError(err);
  }
  const excludedCount = counts.read - counts.started;
  return {
    cohortId: request.cohortId,
    programId: plan.programId,
    version: plan.version,
    counts: { households: counts.read, eligible: counts.started, flagged: counts.flagged, excluded: excludedCount, excludedBy: counts.excluded },
    excluded,
    flagged,
    /** True when more households were excluded or flagged than are listed here. */
    truncated: excludedCount > excluded.length || counts.flagged > flagged.length,
  };
}
