import { z } from 'zod';
import { decodeTypedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import { temporal } from '@temporalio/proto';
import { AgencySchema } from '../../domain/agency';
import { RegionPrefixSchema } from '../../domain/household';
import { RolloutIdSchema } from '../../domain/ids';
import * as sa from '../../domain/search-attributes';
import type { ApiDeps } from '../api-deps';
import { rethrowTemporalError } from '../temporal-errors';

const runOutcomes = ['completed', 'rejected', 'failed'] as const;
const temporalStatuses = { running: 'Running', terminated: 'Terminated', canceled: 'Canceled', timed_out: 'TimedOut' } as const;

export const ListRunsQuerySchema = z.object({
  rollout: RolloutIdSchema.optional(),
  step: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'must be a step key').optional(),
  agency: AgencySchema.optional(),
  status: z.enum([...runOutcomes, ...(Object.keys(temporalStatuses) as (keyof typeof temporalStatuses)[])]).optional(),
  region: RegionPrefixSchema.optional(),
  stuck: z.enum(['true', 'false']).optional(),
  pageSize: z.coerce.number().int().min(1).max(1000).default(100),
  pageToken: z.string().regex(/^[A-Za-z0-9+/=_-]*$/, 'must be a page token from a previous answer').optional(),
});
export type ListRunsQuery = z.infer<typeof ListRunsQuerySchema>;

/** Builds the visibility query; every value was checked against a strict pattern, so quoting is safe. */
export function visibilityQuery(filter: ListRunsQuery): string {
  const clauses = [`WorkflowType = 'householdRun'`];
  if (filter.rollout) clauses.push(`${sa.RolloutId.name} = '${filter.rollout}'`);
  if (filter.step) clauses.push(`${sa.CurrentStep.name} = '${filter.step}'`);
  if (filter.agency) clauses.push(`${sa.CurrentAgency.name} = '${filter.agency}'`);
  if (filter.region) clauses.push(`${sa.Region.name} STARTS_WITH '${filter.region}'`);
  if (filter.stuck) clauses.push(`${sa.Stuck.name} = ${filter.stuck}`);
  if (filter.status && filter.status in temporalStatuses) {
    clauses.push(`ExecutionStatus = '${temporalStatuses[filter.status as keyof typeof temporalStatuses]}'`);
  } else if (filter.status) {
    clauses.push(`${sa.RunOutcome.name} = '${filter.status}'`);
  }
  return clauses.join(' AND ');
}

const statusName = (s: temporal.api.enums.v1.WorkflowExecutionStatus | null | undefined) =>
  temporal.api.enums.v1.WorkflowExecutionStatus[s ?? 0]?.replace('WORKFLOW_EXECUTION_STATUS_', '') ?? 'UNSPECIFIED';

/** One page of runs matching a visibility query, with their search attributes decoded. */
export async function visibilityPage(deps: ApiDeps, query: string, pageSize: number, pageToken?: string) {
  const page = await deps.client.workflowService.listWorkflowExecutions({
    namespace: deps.namespace,
    query,
    pageSize,
    nextPageToken: pageToken ? Buffer.from(pageToken, 'base64url') : undefined,
  });
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
      startTime: execution.startTime?.seconds ? new Date(Number(execution.startTime.seconds) * 1000).toISOString() : undefined,
    };
  });
  return { runs, nextPageToken: page.nextPageToken?.length ? Buffer.from(page.nextPageToken).toString('base64url') : undefined };
}
export type RunSummary = Awaited<ReturnType<typeof visibilityPage>>['runs'][number];

/** Lists runs through visibility: never queries a workflow, so it stays cheap for many runs. */
export async function listRuns(deps: ApiDeps, filter: Omit<ListRunsQuery, 'stuck'> & Partial<Pick<ListRunsQuery, 'stuck'>>) {
  try {
    return await visibilityPage(deps, visibilityQuery(filter), filter.pageSize, filter.pageToken);
  } catch (err) {
    rethrowTemporalError(err);
  }
}
