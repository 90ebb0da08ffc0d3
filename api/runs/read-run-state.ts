import type { WorkflowExecutionDescription, WorkflowHandle } from '@temporalio/client';
import { inScope, type RegionScope } from '../../domain/region-scope';
import type { RunState } from '../../domain/run-state';
import { Region } from '../../domain/search-attributes';
import { runStateQuery } from '../../workflows/household-run-messages';
import { AppError } from '../app-error';

/** The answer for a run that does not exist, and for one outside the caller's regions: the same, so existence is not revealed. */
export const runNotFound = (runId: string) => new AppError('not_found', `no run ${runId}`);

/** Whether the run (as described) is in the scope, by its Region attribute, set when it starts. */
export const runInScope = (description: WorkflowExecutionDescription, scope: RegionScope): boolean => inScope(scope, description.typedSearchAttributes.get(Region) ?? '');

/** Not found unless the run (as described) is in the scope. */
export function checkRunScope(description: WorkflowExecutionDescription, scope: RegionScope): void {
  if (!runInScope(description, scope)) throw runNotFound(description.workflowId);
}

/**
 * A run's description and state: a completed run's result is in its history, so no worker is needed to read it.
 * A run outside the scope is not found, checked before its state is read.
 */
export async function readRunState(handle: WorkflowHandle, scope: RegionScope) {
  const description = await handle.describe();
  checkRunScope(description, scope);
  const state: RunState = description.status.name === 'COMPLETED' ? await handle.result() : await handle.query(runStateQuery);
  return { description, state };
}
