import type { Client, WorkflowExecutionDescription } from '@temporalio/client';
import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow';
import { initialRunState } from '../../domain/run-machine';
import { inScope, type RegionScope } from '../../domain/region-scope';
import type { RunState } from '../../domain/run-state';
import { Region } from '../../domain/search-attributes';
import { readRunRecord } from '../../records/read-run';
import type { HouseholdRunInput } from '../../workflows/household-run-input';
import { runStateQuery } from '../../workflows/household-run-messages';
import type { ApiDeps } from '../api-deps';
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
 * A run's description and state: a completed run's result is in its history; any other run's
 * state is as last recorded in the records store (each moment of the run and each message it
 * accepted is written there before it is answered), so no worker is needed to read it.
 * Reads never query a run that is under way: a query reaching a run no worker holds replays it
 * for the query, and the SDK's core then takes the run past its history (it applied an activity's
 * result and ran a local activity for the query; the next task's history no longer replayed, the
 * run stuck on nondeterminism). A run with no record yet is in its first task: read as it starts,
 * from its input. Only a run with a longer history and no record (started before the records
 * store) is asked by a query.
 * A run outside the scope is not found, checked before its state is read.
 */
export async function readRunState(deps: Pick<ApiDeps, 'client' | 'records'>, runId: string, scope: RegionScope) {
  const handle = deps.client.workflow.getHandle(runId);
  const description = await handle.describe();
  checkRunScope(description, scope);
  if (description.status.name === 'COMPLETED') return { description, state: (await handle.result()) as RunState };
  const recorded = await readRunRecord(deps.records, runId);
  if (recorded) return { description, state: recorded };
  const state = description.historyLength <= firstTaskEvents ? await startingState(deps.client, description) : await handle.query(runStateQuery);
  return { description, state };
}

/** Started, its first workflow task scheduled and started: the first task records the run. */
const firstTaskEvents = 3;

/** The run as it starts, from its input. */
async function startingState(client: Client, description: WorkflowExecutionDescription): Promise<RunState> {
  return initialRunState(await readRunInput(client, description), description.startTime);
}

/** The run's input (its household and plan), from the first event of its history: read by the server, decrypted here, no worker asked. */
export async function readRunInput(client: Client, description: WorkflowExecutionDescription): Promise<HouseholdRunInput> {
  const { history } = await client.workflowService.getWorkflowExecutionHistory({
    namespace: client.options.namespace,
    execution: { workflowId: description.workflowId, runId: description.runId },
    maximumPageSize: 1,
  });
  const payloads = history?.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads;
  return decodeFromPayloadsAtIndex<HouseholdRunInput>(client.options.loadedDataConverter, 0, payloads);
}
