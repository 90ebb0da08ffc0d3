import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { rolloutWorkflowId, type RolloutControl } from '../../domain/rollout';
import { controlRolloutUpdate } from '../../workflows/rollout-messages';
import type { ApiDeps } from '../api-deps';
import { AppError } from '../app-error';
import { rethrowTemporalError } from '../temporal-errors';

/** Pause, resume or cancel, answered once the rollout has recorded who and why. */
export async function controlRollout(deps: ApiDeps, rolloutId: string, control: RolloutControl, actor: string, idempotencyKey?: string) {
  try {
    const state = await deps.client.workflow
      .getHandle(rolloutWorkflowId(rolloutId))
      .executeUpdate(controlRolloutUpdate, { args: [{ ...control, actor, at: new Date().toISOString() }], updateId: idempotencyKey ?? randomUUID() });
    return { rolloutId, status: state.status, operation: state.operations.at(-1) };
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) throw new AppError('conflict', err.cause.message);
    if (err instanceof WorkflowNotFoundError) throw new AppError('conflict', `rollout ${rolloutId} has ended or does not exist`);
    rethrowTemporalError(err);
  }
}
