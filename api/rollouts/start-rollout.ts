import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { z } from 'zod';
import { readCohortReport } from '../../cohort/cohort-store';
import { ProgramIdSchema, RolloutIdSchema } from '../../domain/ids';
import { ProgramVersionSchema } from '../../domain/program-plan';
import type { RegionScope } from '../../domain/region-scope';
import { CohortIdSchema, initialRolloutState, RolloutPaceSchema, rolloutWorkflowId, type RolloutInput, type RolloutMemo } from '../../domain/rollout';
import { writeRollout } from '../../records/write-rollout';
import * as sa from '../../domain/search-attributes';
import { rollout } from '../../workflows/rollout';
import type { ApiDeps } from '../api-deps';
import { AppError } from '../app-error';
import { rethrowTemporalError } from '../temporal-errors';
import { checkCohortInScope } from './cohort-scope';
import { pinnedPlan, requireCohort } from './pinned-plan';

export const StartRolloutRequestSchema = z.object({
  rolloutId: RolloutIdSchema,
  cohortId: CohortIdSchema,
  programId: ProgramIdSchema,
  /** The program version to pin; the latest when absent. */
  version: ProgramVersionSchema.optional(),
  reason: z.string().trim().max(500).optional(),
  pace: RolloutPaceSchema.partial().optional(),
});
export type StartRolloutRequest = z.infer<typeof StartRolloutRequestSchema>;

/**
 * Starts the rollout's own workflow; it screens and starts the runs in batches. Refused for a
 * cohort reaching outside the caller's regions, so a rollout never starts a run elsewhere.
 */
export async function startRollout(deps: ApiDeps, request: StartRolloutRequest, actor: string, scope: RegionScope, defaults: Partial<RolloutInput['pace']> = {}) {
  const plan = await pinnedPlan(deps, request.programId, request.version);
  await requireCohort(deps, request.cohortId);
  await checkCohortInScope(deps.records, request.cohortId, scope);
  const report = await readCohortReport(deps.records, request.cohortId);
  const input: RolloutInput = {
    rolloutId: request.rolloutId,
    plan,
    cohortId: request.cohortId,
    households: report?.valid ?? 0,
    startedBy: actor,
    startedAt: new Date().toISOString(),
    reason: request.reason,
    pace: RolloutPaceSchema.parse({ ...defaults, ...request.pace }),
  };
  try {
    await deps.client.workflow.start(rollout, {
      taskQueue: deps.taskQueue,
      workflowId: rolloutWorkflowId(request.rolloutId),
      args: [input],
      // Identity for listings (GET /v1/rollouts) from visibility alone; carried over on continue-as-new.
      typedSearchAttributes: [
        { key: sa.RolloutId, value: input.rolloutId },
        { key: sa.ProgramId, value: plan.programId },
        // The workflow writes each later status (running, paused, cancelled...).
        { key: sa.RolloutStatus, value: 'starting' },
      ],
      memo: { cohortId: input.cohortId, households: input.households, startedBy: input.startedBy, startedAt: input.startedAt, version: plan.version } satisfies RolloutMemo,
      // A rollout id names one rollout for ever.
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      workflowIdConflictPolicy: 'FAIL',
    });
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) {
      // An id names one rollout for ever: the coordinator picks another, so the field is named.
      const message = `rollout ${request.rolloutId} exists already; choose another id`;
      throw new AppError('conflict', message, { fields: [{ field: 'body.rolloutId', message }] });
    }
    rethrowTemporalError(err);
  }
  // Number 0: the rollout answers from the records store before a worker has picked it up (the workflow writes 1, 2...).
  await writeRollout(deps.records, { seq: 0, input, state: initialRolloutState() });
  return { rolloutId: request.rolloutId, programId: plan.programId, version: plan.version, cohortId: request.cohortId, households: input.households, pace: input.pace };
}
