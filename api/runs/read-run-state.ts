import type { WorkflowHandle } from '@temporalio/client';
import type { RunState } from '../../domain/run-state';
import { runStateQuery } from '../../workflows/household-run-messages';

/** A run's description and state: a completed run's result is in its history, so no worker is needed to read it. */
export async function readRunState(handle: WorkflowHandle) {
  const description = await handle.describe();
  const state: RunState = description.status.name === 'COMPLETED' ? await handle.result() : await handle.query(runStateQuery);
  return { description, state };
}
