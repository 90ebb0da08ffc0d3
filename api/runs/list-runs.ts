import { isGrpcServiceError } from '@temporalio/client';
import { status } from '@grpc/grpc-js';
import { z } from 'zod';
import { RunFilterSchema, visibilityQuery, type RunFilter } from '../../temporal/visibility/run-filter';
import { visibilityPage } from '../../temporal/visibility/run-page';
import type { ApiDeps } from '../api-deps';
import { rethrowTemporalError } from '../temporal-errors';
import { invalidPageToken, openPageToken, pageTokenPattern, sealPageToken } from './page-token';

export const ListRunsQuerySchema = RunFilterSchema.extend({
  pageSize: z.coerce.number().int().min(1).max(1000).default(100),
  pageToken: z.string().regex(pageTokenPattern, 'must be nextPageToken from a previous answer').optional(),
});
export type ListRunsQuery = z.infer<typeof ListRunsQuerySchema>;

/** Lists runs through visibility: never queries a workflow, so it stays cheap for many runs. */
export async function listRuns(deps: ApiDeps, filter: RunFilter & { pageSize: number; pageToken?: string }) {
  const query = visibilityQuery(filter);
  const token = filter.pageToken === undefined ? undefined : openPageToken(filter.pageToken, query, deps.pageTokenSecret);
  try {
    const page = await visibilityPage(deps.client, deps.namespace, query, filter.pageSize, token);
    return { runs: page.runs, nextPageToken: page.nextPageToken && sealPageToken(page.nextPageToken, query, deps.pageTokenSecret) };
  } catch (err) {
    // A sealed token Temporal still refuses (e.g. from before a server reset).
    if (token && isGrpcServiceError(err) && err.code === status.INVALID_ARGUMENT) throw invalidPageToken(err);
    rethrowTemporalError(err);
  }
}
