import { z } from 'zod';
import type { Household } from './household';
import type { Eligibility, ProgramPlan } from './program-plan';

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
