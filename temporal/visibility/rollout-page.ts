import type { Client } from '@temporalio/client';
import { decodeMapFromPayloads } from '@temporalio/common/lib/internal-non-workflow';
import { decodeTypedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import { z } from 'zod';
import { ProgramIdSchema } from '../../domain/ids';
import { RolloutMemoSchema, RolloutStatusSchema } from '../../domain/rollout';
import * as sa from '../../domain/search-attributes';
import { executionsPage, statusName } from './run-page';

const temporalStatuses = {
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  canceled: 'Canceled',
  terminated: 'Terminated',
  timed_out: 'TimedOut',
} as const;

export const RolloutFilterSchema = z.object({
  program: ProgramIdSchema.optional(),
  /** Temporal's status of the rollout's workflow. */
  status: z.enum(Object.keys(temporalStatuses) as [keyof typeof temporalStatuses]).optional(),
});
export type RolloutFilter = z.infer<typeof RolloutFilterSchema>;

/** The visibility query for rollouts; values were checked against strict patterns. */
export function rolloutsQuery(filter: RolloutFilter): string {
  const clauses = [`WorkflowType = 'rollout'`];
  if (filter.program) clauses.push(`${sa.ProgramId.name} = '${filter.program}'`);
  if (filter.status) clauses.push(`ExecutionStatus = '${temporalStatuses[filter.status]}'`);
  return clauses.join(' AND ');
}

const isoOf = (t: { seconds?: { toString(): string } | null } | null | undefined) => (t?.seconds ? new Date(Number(t.seconds.toString()) * 1000).toISOString() : undefined);

/**
 * One page of rollouts, in visibility's order (running ones newest first, then ended ones by
 * when they ended). Identity comes from the start-time search attributes and memo; a rollout
 * started before those were set lists by its id alone.
 */
export async function rolloutPage(client: Client, namespace: string, query: string, pageSize: number, pageToken?: string) {
  const page = await executionsPage(client, namespace, query, pageSize, pageToken);
  const rollouts = await Promise.all(page.executions.map(async (execution) => {
    const attrs = decodeTypedSearchAttributes(execution.searchAttributes?.indexedFields);
    // The memo is encrypted like every payload: decoded with the client's own converter. One
    // sealed under a key the ring no longer holds (or written by another deployment on the same
    // namespace) lists by its id alone, like one from before memos, rather than failing the page.
    const decoded = await decodeMapFromPayloads(client.options.loadedDataConverter, execution.memo?.fields ?? {}).catch(() => undefined);
    const memo = RolloutMemoSchema.partial().safeParse(decoded ?? {});
    const workflowId = execution.execution?.workflowId ?? '';
    return {
      rolloutId: attrs.get(sa.RolloutId) ?? workflowId.replace(/^rollout:/, ''),
      programId: attrs.get(sa.ProgramId),
      ...(memo.success ? memo.data : {}),
      status: RolloutStatusSchema.optional().catch(undefined).parse(attrs.get(sa.RolloutStatus)),
      temporalStatus: statusName(execution.status),
      closedAt: isoOf(execution.closeTime),
    };
  }));
  return { rollouts, nextPageToken: page.nextPageToken };
}
export type RolloutSummary = Awaited<ReturnType<typeof rolloutPage>>['rollouts'][number];
