import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { z } from 'zod';
import { HouseholdSchema } from '../../domain/household';
import { RolloutIdSchema, runIdOf } from '../../domain/ids';
import { ProgramPlanSchema, type ProgramPlan } from '../../domain/program-plan';
import { shippedPlans } from '../../domain/plans';
import { HouseholdId, ProgramId, Region, RolloutId, RunOutcome, Stuck } from '../../domain/search-attributes';
import { householdRun } from '../../workflows/household-run';
import type { HouseholdRunInput } from '../../workflows/household-run-input';
import type { ApiDeps } from '../api-deps';
import { AppError } from '../app-error';
import { rethrowTemporalError } from '../temporal-errors';

export const StartRunRequestSchema = z
  .object({
    rolloutId: RolloutIdSchema,
    household: HouseholdSchema,
    /** A shipped program; the default plan (graduation) when neither this nor plan is given. */
    programId: z.string().optional(),
    /** A plan given inline, validated like a published one. */
    plan: ProgramPlanSchema.optional(),
  })
  .refine((r) => !(r.programId && r.plan), { path: ['plan'], message: 'give either programId or plan, not both' });
export type StartRunRequest = z.infer<typeof StartRunRequestSchema>;

function planFor(request: StartRunRequest): ProgramPlan {
  if (request.plan) return request.plan;
  const plan = shippedPlans.get(request.programId ?? 'graduation');
  if (!plan) {
    throw new AppError('invalid_request', `unknown program "${request.programId}"`, {
      fields: [{ field: 'body.programId', message: `unknown program; known: ${[...shippedPlans.keys()].join(', ')}` }],
    });
  }
  return plan;
}

export async function startRun(deps: ApiDeps, request: StartRunRequest, actor: string) {
  const plan = planFor(request);
  const { household, rolloutId } = request;
  const runId = runIdOf(rolloutId, household.familyCardNumber);
  const input: HouseholdRunInput = { runId, rolloutId, household, plan, startedBy: actor };
  try {
    await deps.client.workflow.start(householdRun, {
      taskQueue: deps.taskQueue,
      workflowId: runId,
      args: [input],
      // The same household once per rollout, even after its run has ended.
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      workflowIdConflictPolicy: 'FAIL',
      typedSearchAttributes: [
        { key: RolloutId, value: rolloutId },
        { key: ProgramId, value: plan.programId },
        { key: HouseholdId, value: household.familyCardNumber },
        { key: Region, value: household.region },
        { key: RunOutcome, value: 'running' },
        { key: Stuck, value: false },
      ],
    });
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) {
      throw new AppError('conflict', `household already has a run in rollout ${rolloutId}`, { details: { runId } });
    }
    rethrowTemporalError(err);
  }
  return { runId, programId: plan.programId, programVersion: plan.version, status: 'running' as const };
}
