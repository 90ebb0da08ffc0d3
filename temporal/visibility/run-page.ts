import type { Client } from '@temporalio/client';
import { decodeTypedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import { temporal } from '@temporalio/proto';
import * as sa from '../../domain/search-attributes';

type Execution = temporal.api.workflow.v1.IWorkflowExecutionInfo;

export const statusName = (s: temporal.api.enums.v1.WorkflowExecutionStatus | null | undefined) =>
  temporal.api.enums.v1.WorkflowExecutionStatus[s ?? 0]?.replace('WORKFLOW_EXECUTION_STATUS_', '') ?? 'UNSPECIFIED';

/** One raw page of executions matching a visibility query; the token travels as base64url. */
export async function executionsPage(client: Client, namespace: string, query: string, pageSize: number, pageToken?: string) {
  const page = await client.workflowService.listWorkflowExecutions({
    namespace,
    query,
    pageSize,
    nextPageToken: pageToken ? Buffer.from(pageToken, 'base64url') : undefined,
  });
  return { executions: page.executions, nextPageToken: page.nextPageToken?.length ? Buffer.from(page.nextPageToken).toString('base64url') : undefined };
}

/** A run as its visibility record tells it, every search attribute decoded. */
export function runSummaryOf(execution: Execution) {
  const attrs = decodeTypedSearchAttributes(execution.searchAttributes?.indexedFields);
  return {
    runId: execution.execution?.workflowId ?? '',
    temporalStatus: statusName(execution.status),
    outcome: attrs.get(sa.RunOutcome),
    rolloutId: attrs.get(sa.RolloutId),
    programId: attrs.get(sa.ProgramId),
    /** The household's pseudonym (its KK on runs started before pseudonyms). */
    householdKey: attrs.get(sa.HouseholdId),
    region: attrs.get(sa.Region),
    currentStep: attrs.get(sa.CurrentStep),
    currentAgency: attrs.get(sa.CurrentAgency),
    currentTaskId: attrs.get(sa.CurrentTaskId),
    stepDeadline: attrs.get(sa.StepDeadline)?.toISOString(),
    stuck: attrs.get(sa.Stuck) ?? false,
    stuckSince: attrs.get(sa.StuckSince)?.toISOString(),
    stepKinds: attrs.get(sa.StepKinds) ?? [],
    welfare: attrs.get(sa.Welfare) ?? [],
    startTime: execution.startTime?.seconds ? new Date(Number(execution.startTime.seconds) * 1000).toISOString() : undefined,
  };
}
export type RunSummary = ReturnType<typeof runSummaryOf>;

/** One page of runs matching a visibility query, with their search attributes decoded. */
export async function visibilityPage(client: Client, namespace: string, query: string, pageSize: number, pageToken?: string) {
  const page = await executionsPage(client, namespace, query, pageSize, pageToken);
  return { runs: page.executions.map(runSummaryOf), nextPageToken: page.nextPageToken };
}

/** Every execution matching a query, undecoded, a page at a time, so only one page is held at once. */
export async function* executionPages(client: Client, namespace: string, query: string, pageSize = 1_000): AsyncGenerator<Execution[]> {
  let token: string | undefined;
  do {
    const page = await executionsPage(client, namespace, query, pageSize, token);
    yield page.executions;
    token = page.nextPageToken;
  } while (token);
}

/** Every run matching a query, a page at a time, so only one page is held at once. */
export async function* visibilityPages(client: Client, namespace: string, query: string, pageSize = 1_000): AsyncGenerator<RunSummary[]> {
  for await (const executions of executionPages(client, namespace, query, pageSize)) yield executions.map(runSummaryOf);
}
