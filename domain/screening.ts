import { z } from 'zod';
import type { Household } from './household';
import { notReceivedWithinOf, type Eligibility, type ProgramPlan } from './program-plan';
import { addCounts, noCounts, type RolloutCounts } from './rollout';

/** Why a household of the cohort is not enrolled. */
export const ExclusionReasonSchema = z.enum([
  'decile-above-maximum',
  'welfare-status-not-allowed',
  'region-not-covered',
  'already-enrolled',
  'overlapping-program',
  'recently-received',
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

/** An ended run of the household that gave it something (`received:<kind>` in its Welfare facts), as visibility lists it. */
export interface Receipt {
  runId: string;
  rolloutId?: string;
  programId?: string;
  /** The kinds received: micro-capital, aid-disbursement. */
  kinds: readonly string[];
  closedAt: string;
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
export function screenHousehold(plan: ProgramPlan, rolloutId: string, household: Household, active: readonly ActiveRun[], receipts: readonly Receipt[] = []): Screening {
  // A run of this rollout, running or ended, was started by it before.
  if (active.some((r) => r.rolloutId === rolloutId) || receipts.some((r) => r.rolloutId === rolloutId)) return { decision: 'started-before' };
  const ineligible = eligibilityProblem(plan.eligibility, household);
  if (ineligible) return { decision: 'exclude', ...ineligible };
  const same = active.find((r) => r.programId === plan.programId);
  if (same) return { decision: 'exclude', reason: 'already-enrolled', detail: `active run ${same.runId}` };
  const received = recentlyReceived(plan, receipts);
  if (received) return { decision: 'exclude', reason: 'recently-received', detail: received };
  const kinds = new Set<string>(plan.steps.map((s) => s.kind));
  const overlap = active.find((r) => r.stepKinds.some((k) => kinds.has(k)));
  if (!overlap) return { decision: 'enrol' };
  const shared = overlap.stepKinds.filter((k) => kinds.has(k)).join(', ');
  const detail = `active run ${overlap.runId} of ${overlap.programId ?? 'another program'} shares ${shared}`;
  return plan.overlapPolicy === 'flag' ? { decision: 'enrol', flag: { reason: 'overlapping-program', detail } } : { decision: 'exclude', reason: 'overlapping-program', detail };
}

/** The receipt that keeps the household out under the plan's notReceivedWithin rule (receipts are those ended within its period). */
function recentlyReceived(plan: ProgramPlan, receipts: readonly Receipt[]): string | undefined {
  const rule = notReceivedWithinOf(plan);
  if (!rule) return undefined;
  for (const receipt of receipts) {
    const kinds = receipt.kinds.filter((k) => (rule.kinds as readonly string[]).includes(k));
    if (kinds.length) return `received ${kinds.join(', ')} in run ${receipt.runId} of ${receipt.programId ?? 'another program'}, ended ${receipt.closedAt} (within ${rule.period})`;
  }
  return undefined;
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
export function screenBatch(
  plan: ProgramPlan,
  rolloutId: string,
  households: readonly Household[],
  activeByHousehold: ReadonlyMap<string, readonly ActiveRun[]>,
  receiptsByHousehold: ReadonlyMap<string, readonly Receipt[]> = new Map(),
): ScreenedBatch {
  const batch: ScreenedBatch = { toStart: [], counts: noCounts(), exclusions: [] };
  for (const household of households) {
    const householdId = household.familyCardNumber;
    const screening = screenHousehold(plan, rolloutId, household, activeByHousehold.get(householdId) ?? [], receiptsByHousehold.get(householdId) ?? []);
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

/**
 * Households screened in whose start found the program's enrolment lock held by another run
 * (another rollout got there first, before visibility showed it): excluded as already enrolled.
 */
export function excludeHeld(batch: ScreenedBatch, heldBy: ReadonlyMap<string, string>): ScreenedBatch {
  if (heldBy.size === 0) return batch;
  const counts = { ...batch.counts, excluded: { ...batch.counts.excluded } };
  const exclusions = batch.exclusions.filter((e) => !(e.flaggedOnly && heldBy.has(e.householdId)));
  counts.flagged -= batch.exclusions.length - exclusions.length;
  for (const [householdId, runId] of heldBy) {
    counts.started -= 1;
    counts.excluded['already-enrolled'] = (counts.excluded['already-enrolled'] ?? 0) + 1;
    exclusions.push({ householdId, reason: 'already-enrolled', detail: `active run ${runId}` });
  }
  return { toStart: batch.toStart.filter((h) => !heldBy.has(h.familyCardNumber)), counts, exclusions };
}

/** A manager's start of a run despite the screening: who, why, and what was overridden; kept in the run's memo. */
export const ForcedStartSchema = z.object({
  by: z.string(),
  reason: z.string(),
  at: z.string(),
  overrode: z.array(ExclusionSchema.pick({ reason: true, detail: true })),
});
export type ForcedStart = z.infer<typeof ForcedStartSchema>;
