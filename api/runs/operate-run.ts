import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { StepOperation } from '../../domain/step-operation';
import { operateUpdate } from '../../workflows/household-run-messages';
import type { ApiDeps } from '../api-deps';
import { AppError } from '../app-error';
import { rethrowTemporalError } from '../temporal-errors';
import { readRunState } from './read-run-state';

/**
 * Delivers a manager's operation to the run as an Update: answered only once the run has
 * recorded it (who, when, why). An Idempotency-Key makes a repeated request harmless.
 */
export async function operateRun(deps: ApiDeps, runId: string, op: StepOperation, actor: string, idempotencyKey?: string) {
  try {
    const state = await deps.client.workflow
      .getHandle(runId)
      .executeUpdate(operateUpdate, { args: [{ ...op, actor, requestedAt: new Date().toISOString() }], updateId: idempotencyKey ?? randomUUID() });
    return { runId, operation: state.operations?.at(-1), status: state.status, steps: state.steps };
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) throw new AppError('conflict', err.cause.message);
    if (err instanceof WorkflowNotFoundError) throw await endedOrUnknown(deps, runId);
    rethrowTemporalError(err);
  }
}

async function endedOrUnknown(deps: ApiDeps, runId: string): Promise<AppError> {
  try {
    const { state } = await readRunState(deps.client.workflow.getHandle(runId));
    return new AppError('conflict', `the run has ended (${state.status})`);
  } catch {
    return new AppError('not_found', `no run ${runId}`);
  }
}
