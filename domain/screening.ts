import { z } from 'zod';
import type { Household } from './household';
import type { Eligibility, ProgramPlan } from './program-plan';
import { addCounts, noCounts, type RolloutCounts } from './rollout';

/** Why a household of the cohort is not enrolled. */
export const ExclusionReasonSchema = z.enum([
  'decile-above-maximum',
  'welfare-status-not-allowed',
  'region-not-covered',
  'already-enrolled',
  'overlapping-program',
]);
export type ExclusionReason = z.infer<typeof ExclusionReasonSchema>;

/** A household left out (or enrolled and flagged), as the rollout's report gives it: no NIK or name. */
export const ExclusionSchema = z.object({
  householdId: z.string(),
  reason: ExclusionReasonSchema,
  detail: z.string(),
  flaggedOnly: z.boolean().optional(),
});
export type Exclusion = z.infer<typeof ExclusionSchema>;

/** A running run of the household, as visibility lists it. */
export interface ActiveRun {
  runId: string;
  rolloutId?: string;
  programId?: string;
  stepKinds: readonly string[];
}

export type Screening =
  | { decision: 'enrol'; flag?: { reason: 'overlapping-program'; detail: string } }
  | { decision: 'started-before' }
  | { decision: 'exclude'; reason: ExclusionReason; detail: string };

export function eligibilityProblem(rules: Eligibility, household: Household): { reason: ExclusionReason; detail: string } | undefined {
  if (household.decile > rules.maxDecile) return { reason: 'decile-above-maximum', detail: `decile ${household.decile} above ${rules.maxDecile}` };
  if (!rules.welfareStatuses.includes(household.welfareStatus)) {
    return { reason: 'welfare-status-not-allowed', detail: `${household.welfareStatus} not in ${rules.welfareStatuses.join(', ')}` };
  }
  const regions = rules.regions;
  if (regions && !regions.some((r) => household.region === r || household.region.startsWith(`${r}.`))) {
    return { reason: 'region-not-covered', detail: `${household.region} outside ${regions.join(', ')}` };
  }
  return undefined;
}

/**
 * Decides one household of a rollout against the program's rules and the household's running
 * runs: at most one active run per program (DESIGN invariant 4); another program sharing a
 * step kind is excluded or flagged by the program's overlap policy.
 */
export function screenHousehold(plan: ProgramPlan, rolloutId: string, household: Household, active: readonly ActiveRun[]): Screening {
  if (active.some((r) => r.rolloutId === rolloutId)) return { decision: 'started-before' };
  const ineligible = eligibilityProblem(plan.eligibility, household);
  if (ineligible) return { decision: 'exclude', ...ineligible };
  const same = active.find((r) => r.programId === plan.programId);
  if (same) return { decision: 'exclude', reason: 'already-enrolled', detail: `active run ${same.runId}` };
  const kinds = new Set<string>(plan.steps.map((s) => s.kind));
  const overlap = active.find((r) => r.stepKinds.some((k) => kinds.has(k)));
  if (!overlap) return { decision: 'enrol' };
  const shared = overlap.stepKinds.filter((k) => kinds.has(k)).join(', ');
  const detail = `active run ${overlap.runId} of ${overlap.programId ?? 'another program'} shares ${shared}`;
  return plan.overlapPolicy === 'flag' ? { decision: 'enrol', flag: { reason: 'overlapping-program', detail } } : { decision: 'exclude', reason: 'overlapping-program', detail };
}

/** A batch of households screened: who to start, the tally, and who was left out or flagged. */
export interface ScreenedBatch {
  /** Households to start now (not those this rollout started before). */
  toStart: Household[];
  /** read; started (to start, or started before); flagged; excluded by reason. */
  counts: RolloutCounts;
  /** Excluded households, and enrolled ones flagged for an overlap (flaggedOnly). */
  exclusions: Exclusion[];
}

/**
 * Screens a batch of a rollout's cohort against the program and each household's running runs
 * (by KK): what a preview reports and what the rollout's batch then starts, decided the same way.
 */
export function screenBatch(plan: ProgramPlan, rolloutId: string, households: readonly Household[], activeByHousehold: ReadonlyMap<string, readonly ActiveRun[]>): ScreenedBatch {
  const batch: ScreenedBatch = { toStart: [], counts: noCounts(), exclusions: [] };
  for (const household of households) {
    const householdId = household.familyCardNumber;
    const screening = screenHousehold(plan, rolloutId, household, activeByHousehold.get(householdId) ?? []);
    const counts = { ...noCounts(), read: 1 };
    if (screening.decision === 'exclude') {
      counts.excluded = { [screening.reason]: 1 };
      batch.exclusions.push({ householdId, reason: screening.reason, detail: screening.detail });
    } else {
      counts.started = 1;
      if (screening.decision === 'enrol') batch.toStart.push(household);
      if (screening.decision === 'enrol' && screening.flag) {
        counts.flagged = 1;
        batch.exclusions.push({ householdId, ...screening.flag, flaggedOnly: true });
      }
    }
    batch.counts = addCounts(batch.counts, counts);
  }
  return batch;
}
