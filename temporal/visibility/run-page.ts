import type { Client } from '@temporalio/client';
import { decodeTypedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import { temporal } from '@temporalio/proto';
import * as sa from '../../domain/search-attributes';

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

/** One page of runs matching a visibility query, with their search attributes decoded. */
export async function visibilityPage(client: Client, namespace: string, query: string, pageSize: number, pageToken?: string) {
  const page = await executionsPage(client, namespace, query, pageSize, pageToken);
  const runs = page.executions.map((execution) => {
    const attrs = decodeTypedSearchAttributes(execution.searchAttributes?.indexedFields);
    return {
      runId: execution.execution?.workflowId ?? '',
      temporalStatus: statusName(execution.status),
      outcome: attrs.get(sa.RunOutcome),
      rolloutId: attrs.get(sa.RolloutId),
      programId: attrs.get(sa.ProgramId),
      householdId: attrs.get(sa.HouseholdId),
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
  });
  return { runs, nextPageToken: page.nextPageToken };
}
export type RunSummary = Awaited<ReturnType<typeof visibilityPage>>['runs'][number];

/** Every run matching a query, a page at a time, so only one page is held at once. */
export async function* visibilityPages(client: Client, namespace: string, query: string, pageSize = 1_000): AsyncGenerator<RunSummary[]> {
  let token: string | undefined;
  do {
    const page = await visibilityPage(client, namespace, query, pageSize, token);
    yield page.runs;
    token = page.nextPageToken;
  } while (token);
}
