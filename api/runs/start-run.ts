import { z } from 'zod';
import { HouseholdSchema } from '../../domain/household';
import { ProgramIdSchema, pseudonymousRunIds, RolloutIdSchema, runIdOf } from '../../domain/ids';
import { ProgramPlanSchema, ProgramVersionSchema } from '../../domain/program-plan';
import { inScope, regionsOfScope, type RegionScope } from '../../domain/region-scope';
import { screenBatch, type ExclusionReason, type ForcedStart } from '../../domain/screening';
import { ReasonSchema } from '../../domain/step-operation';
import { statedInDocument } from '../../domain/stated-rule';
import { pinnedPlan } from '../rollouts/pinned-plan';
import { startHouseholdRun, type RunStart } from '../../temporal/start-household-run';
import { screeningFactsOf } from '../../temporal/visibility/active-runs';
import type { HouseholdRunInput } from '../../workflows/household-run-input';
import type { Role } from '../auth/principal';
import type { ApiDeps } from '../api-deps';
import { AppError } from '../app-error';
import { rethrowTemporalError } from '../temporal-errors';

export const StartRunRequestSchema = z
  .object({
    rolloutId: RolloutIdSchema,
    household: HouseholdSchema,
    /** A program of the catalog; the default plan (graduation) when neither this nor plan is given. */
    programId: ProgramIdSchema.optional(),
    /** Its version; the latest when absent. */
    version: ProgramVersionSchema.optional(),
    /** A plan given inline, validated like a published one. */
    plan: ProgramPlanSchema.optional(),
    /**
     * A manager starts the run although the screening excludes the household (not eligible, an
     * overlapping program, recently received), with a reason kept on the run. Never past another
     * active run of the same program.
     */
    force: z.object({ reason: ReasonSchema }).optional(),
  })
  .refine((r) => !(r.programId && r.plan), { path: ['plan'], message: 'give either programId or plan, not both', params: statedInDocument })
  .meta({ not: { required: ['programId', 'plan'] } });
export type StartRunRequest = z.infer<typeof StartRunRequestSchema>;

/** The field a screening refusal is about. */
const fieldOf: Record<ExclusionReason, string> = {
  'decile-above-maximum': 'body.household.decile',
  'welfare-status-not-allowed': 'body.household.welfareStatus',
  'region-not-covered': 'body.household.region',
  'already-enrolled': 'body.household.familyCardNumber',
  'overlapping-program': 'body.household.familyCardNumber',
  'recently-received': 'body.household.familyCardNumber',
};
/** At most one active run per program (DESIGN invariant 4): no force gets past it. */
const unforceable: readonly ExclusionReason[] = ['already-enrolled'];

const screenedOut = (reason: ExclusionReason, detail: string) => {
  const message = `the household is excluded (${reason}): ${detail}`;
  return new AppError('unprocessable', message, { fields: [{ field: fieldOf[reason], message }], details: { reason, detail } });
};

/**
 * Starts one household's run, screened as a rollout screens it (domain/screening.ts): excluded
 * households are refused with 422 naming the reason and field, unless a manager forces the start.
 * A household outside the caller's regions is refused (403) before anything is read.
 */
export async function startRun(deps: ApiDeps, request: StartRunRequest, actor: string, role: Role, scope: RegionScope) {
  if (request.force && role !== 'manager') {
    const message = 'only a manager may force a start past the screening';
    throw new AppError('forbidden', message, { fields: [{ field: 'body.force', message }] });
  }
  if (!inScope(scope, request.household.region)) {
    const message = `the household's region is outside yours (${regionsOfScope(scope)?.join(', ')})`;
    throw new AppError('forbidden', message, { fields: [{ field: 'body.household.region', message }] });
  }
  const { household, rolloutId } = request;
  const householdKey = deps.householdKeyOf(household.familyCardNumber);
  const runId = runIdOf(rolloutId, householdKey);
  let started: RunStart;
  let forced: ForcedStart | undefined;
  try {
    const plan = request.plan ?? (await pinnedPlan(deps, request.programId ?? 'graduation', request.version));
    const { active, receipts } = await screeningFactsOf(deps.client, deps.namespace, plan, [household.familyCardNumber], deps.householdKeyOf);
    const screened = screenBatch(plan, rolloutId, [household], active, receipts);
    // Started before by this rollout, under another id than this one (before pseudonyms): the same conflict as under this id.
    const ofHousehold = [...(active.get(household.familyCardNumber) ?? []), ...(receipts.get(household.familyCardNumber) ?? [])];
    const before = !screened.toStart.length && !screened.exclusions.length && ofHousehold.find((r) => r.rolloutId === rolloutId);
    if (before && before.runId !== runId) throw new AppError('conflict', `household already has a run in rollout ${rolloutId}`, { details: { runId: before.runId } });
    const excluded = screened.exclusions.filter((e) => !e.flaggedOnly);
    const refusal = excluded.find((e) => !request.force || unforceable.includes(e.reason));
    if (refusal) throw screenedOut(refusal.reason, refusal.detail);
    if (request.force && excluded.length) {
      // Kept in the run's memo, where no KK may be: a run named in a detail is named by its pseudonym.
      const overrode = excluded.map(({ reason, detail }) => ({ reason, detail: pseudonymousRunIds(detail, deps.householdKeyOf) }));
      forced = { by: actor, reason: request.force.reason, at: new Date().toISOString(), overrode };
    }
    const input: HouseholdRunInput & { householdKey: string } = { runId, rolloutId, household, householdKey, plan, startedBy: actor };
    // A start needs the worker (the enrolment lock starts the run): without one, a 503 rather than a hang.
    started = await deps.client.withAbortSignal(AbortSignal.timeout(30_000), () => startHouseholdRun(deps.client, deps.taskQueue, input, forced && { forcedStart: forced }));
    if (started === 'exists') throw new AppError('conflict', `household already has a run in rollout ${rolloutId}`, { details: { runId } });
    if (typeof started === 'object') throw screenedOut('already-enrolled', `active run ${started.heldBy}`);
    return { runId, programId: plan.programId, programVersion: plan.version, status: 'running' as const, ...(forced && { forced }) };
  } catch (err) {
    rethrowTemporalError(err);
  }
}
