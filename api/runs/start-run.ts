import { z } from 'zod';
import { HouseholdSchema } from '../../domain/household';
import { ProgramIdSchema, RolloutIdSchema, runIdOf } from '../../domain/ids';
import { ProgramPlanSchema } from '../../domain/program-plan';
import { pinnedPlan } from '../rollouts/pinned-plan';
import { startHouseholdRun } from '../../temporal/start-household-run';
import type { HouseholdRunInput } from '../../workflows/household-run-input';
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
    version: z.number().int().min(1).optional(),
    /** A plan given inline, validated like a published one. */
    plan: ProgramPlanSchema.optional(),
  })
  .refine((r) => !(r.programId && r.plan), { path: ['plan'], message: 'give either programId or plan, not both' });
export type StartRunRequest = z.infer<typeof StartRunRequestSchema>;

export async function startRun(deps: ApiDeps, request: StartRunRequest, actor: string) {
  const plan = request.plan ?? (await pinnedPlan(deps, request.programId ?? 'graduation', request.version));
  const { household, rolloutId } = request;
  const runId = runIdOf(rolloutId, household.familyCardNumber);
  const input: HouseholdRunInput = { runId, rolloutId, household, plan, startedBy: actor };
  let started: Awaited<ReturnType<typeof startHouseholdRun>>;
  try {
    started = await startHouseholdRun(deps.client, deps.taskQueue, input);
  } catch (err) {
    rethrowTemporalError(err);
  }
  if (started === 'exists') throw new AppError('conflict', `household already has a run in rollout ${rolloutId}`, { details: { runId } });
  return { runId, programId: plan.programId, programVersion: plan.version, status: 'running' as const };
}
