import { z } from 'zod';
import { AgencySchema } from '../../domain/agency';
import { durationToMs, IsoDurationSchema } from '../../domain/duration';
import { RegionPrefixSchema } from '../../domain/household';
import { numberText } from '../../domain/number-text';
import { ProgramIdSchema, RolloutIdSchema } from '../../domain/ids';
import { narrowScope, regionClause, type RegionScope } from '../../domain/region-scope';
import * as sa from '../../domain/search-attributes';
import type { Client } from '@temporalio/client';
import { decodeTypedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import type { temporal } from '@temporalio/proto';
import { executionPages, runSummaryOf } from './run-page';

export const StuckQuerySchema = z.object({
  agency: AgencySchema.optional(),
  /** Any level of the region code: province 35, regency 35.09, ... */
  region: RegionPrefixSchema.optional(),
  program: ProgramIdSchema.optional(),
  rollout: RolloutIdSchema.optional(),
  /** Only steps stuck for at least this long (ISO-8601, e.g. P7D). */
  minAge: IsoDurationSchema.optional(),
  pageSize: numberText(z.coerce.number().int().min(1).max(500)).default(50),
  offset: numberText(z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER)).default(0),
});
export type StuckQuery = z.infer<typeof StuckQuerySchema>;

const DAY = 86_400_000;
/** The regency (kabupaten/kota) of a region code: `35.09` of `35.09.01.2001`. */
export const regencyOf = (region: string | undefined) => region?.split('.').slice(0, 2).join('.') ?? 'unknown';

/** The visibility query for stuck runs in the scope; values were checked against strict patterns. */
export function stuckQuery(filter: StuckQuery, nowMs: number, scope: RegionScope): string {
  const clauses = [`WorkflowType = 'householdRun'`, `ExecutionStatus = 'Running'`, `${sa.Stuck.name} = true`];
  if (filter.agency) clauses.push(`${sa.CurrentAgency.name} = '${filter.agency}'`);
  const region = regionClause(narrowScope(scope, filter.region));
  if (region) clauses.push(region);
  if (filter.program) clauses.push(`${sa.ProgramId.name} = '${filter.program}'`);
  if (filter.rollout) clauses.push(`${sa.RolloutId.name} = '${filter.rollout}'`);
  if (filter.minAge) clauses.push(`${sa.StuckSince.name} <= '${new Date(nowMs - durationToMs(filter.minAge)).toISOString()}'`);
  return clauses.join(' AND ');
}

/** What ordering and counting every match needs; the rest is decoded for the page shown only. */
const sortKeyAttributes = [sa.StuckSince.name, sa.CurrentAgency.name, sa.Region.name];

interface Match {
  execution: temporal.api.workflow.v1.IWorkflowExecutionInfo;
  runId: string;
  /** ms since the epoch; -Infinity (first) when absent. */
  stuckSince: number;
  agency: string;
  regency: string;
}

function matchOf(execution: temporal.api.workflow.v1.IWorkflowExecutionInfo): Match {
  const fields = execution.searchAttributes?.indexedFields ?? {};
  const attrs = decodeTypedSearchAttributes(Object.fromEntries(sortKeyAttributes.flatMap((name) => (fields[name] ? [[name, fields[name]]] : []))));
  return {
    execution,
    runId: execution.execution?.workflowId ?? '',
    stuckSince: attrs.get(sa.StuckSince)?.getTime() ?? -Infinity,
    agency: attrs.get(sa.CurrentAgency) ?? 'unknown',
    regency: regencyOf(attrs.get(sa.Region)),
  };
}

/**
 * Every stuck step matching the filter, oldest first, from visibility alone (no workflow is
 * queried). Visibility cannot sort, so all matches are read (stuck runs are a few per cent of
 * all) and sorted here; counts per agency and regency come from the same read.
 */
export async function stuckSteps(client: Client, namespace: string, filter: StuckQuery, scope: RegionScope, nowMs = Date.now()) {
  const matches: Match[] = [];
  for await (const executions of executionPages(client, namespace, stuckQuery(filter, nowMs, scope))) {
    for (const execution of executions) matches.push(matchOf(execution));
  }
  // Plain comparisons, not localeCompare: ids order the same everywhere, and a thousand sort quickly.
  matches.sort((a, b) => a.stuckSince - b.stuckSince || (a.runId < b.runId ? -1 : a.runId > b.runId ? 1 : 0));
  const byAgency: Record<string, number> = {};
  const byRegion: Record<string, number> = {};
  for (const match of matches) {
    byAgency[match.agency] = (byAgency[match.agency] ?? 0) + 1;
    byRegion[match.regency] = (byRegion[match.regency] ?? 0) + 1;
  }
  const items = matches.slice(filter.offset, filter.offset + filter.pageSize).map(({ execution }) => {
    const run = runSummaryOf(execution);
    return {
      runId: run.runId,
      taskId: run.currentTaskId,
      rolloutId: run.rolloutId,
      programId: run.programId,
      householdKey: run.householdKey,
      region: run.region,
      step: run.currentStep,
      agency: run.currentAgency,
      deadline: run.stepDeadline,
      stuckSince: run.stuckSince,
      daysOverdue: run.stepDeadline ? Math.max(0, Math.floor((nowMs - Date.parse(run.stepDeadline)) / DAY)) : undefined,
    };
  });
  const nextOffset = filter.offset + filter.pageSize < matches.length ? filter.offset + filter.pageSize : undefined;
  return { total: matches.length, counts: { byAgency, byRegion }, items, nextOffset };
}
