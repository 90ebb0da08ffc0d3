import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { RegionScope } from '../../domain/region-scope';
import type { StepOperation } from '../../domain/step-operation';
import { operateUpdate } from '../../workflows/household-run-messages';
import type { ApiDeps } from '../api-deps';
import { AppError } from '../app-error';
import { rethrowTemporalError } from '../temporal-errors';
import { checkRunScope, readRunState, runNotFound } from './read-run-state';

/**
 * Delivers a manager's operation to the run as an Update: answered only once the run has
 * recorded it (who, when, why). An Idempotency-Key makes a repeated request harmless. A run
 * outside the manager's regions is not found, as one that does not exist.
 */
export async function operateRun(deps: ApiDeps, runId: string, op: StepOperation, actor: string, scope: RegionScope, idempotencyKey?: string) {
  try {
    const handle = deps.client.workflow.getHandle(runId);
    // A national manager's update needs no look first; an unknown run is told apart below.
    if (scope !== 'national') checkRunScope(await handle.describe(), scope);
    const state = await handle.executeUpdate(operateUpdate, { args: [{ ...op, actor, requestedAt: new Date().toISOString() }], updateId: idempotencyKey ?? randomUUID() });
    return { runId, operation: state.operations?.at(-1), status: state.status, steps: state.steps };
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) throw new AppError('conflict', err.cause.message);
    if (err instanceof WorkflowNotFoundError) throw await endedOrUnknown(deps, runId, scope);
    rethrowTemporalError(err);
  }
}

async function endedOrUnknown(deps: ApiDeps, runId: string, scope: RegionScope): Promise<AppError> {
  try {
    const { state } = await readRunState(deps, runId, scope);
    return new AppError('conflict', `the run has ended (${state.status})`);
  } catch {
    return runNotFound(runId);
  }
}
