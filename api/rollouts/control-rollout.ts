import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { RegionScope } from '../../domain/region-scope';
import { rolloutWorkflowId, type RolloutControl } from '../../domain/rollout';
import { controlRolloutUpdate } from '../../workflows/rollout-messages';
import type { ApiDeps } from '../api-deps';
import { AppError } from '../app-error';
import { rethrowTemporalError } from '../temporal-errors';
import { checkCohortInScope } from './cohort-scope';
import { readRollout } from './rollout-progress';

/**
 * Pause, resume or cancel, answered once the rollout has recorded who and why. A principal limited
 * to regions steers only a rollout whose households are all in them: it acts on every one.
 */
export async function controlRollout(deps: ApiDeps, rolloutId: string, control: RolloutControl, actor: string, scope: RegionScope, idempotencyKey?: string) {
  const unknown = () => new AppError('conflict', `rollout ${rolloutId} has ended or does not exist`);
  if (scope !== 'national') {
    const { input } = await readRollout(deps, rolloutId, scope).catch((err: unknown) => {
      throw err instanceof AppError && err.code === 'not_found' ? unknown() : err;
    });
    await checkCohortInScope(deps.records, input.cohortId, scope, 'params.id');
  }
  try {
    const state = await deps.client.workflow
      .getHandle(rolloutWorkflowId(rolloutId))
      .executeUpdate(controlRolloutUpdate, { args: [{ ...control, actor, at: new Date().toISOString() }], updateId: idempotencyKey ?? randomUUID() });
    return { rolloutId, status: state.status, operation: state.operations.at(-1) };
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) throw new AppError('conflict', err.cause.message);
    if (err instanceof WorkflowNotFoundError) throw unknown();
    rethrowTemporalError(err);
  }
}
