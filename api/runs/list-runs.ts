import { z } from 'zod';
import { RunFilterSchema, visibilityQuery, type RunFilter } from '../../temporal/visibility/run-filter';
import { visibilityPage } from '../../temporal/visibility/run-page';
import type { ApiDeps } from '../api-deps';
import { rethrowTemporalError } from '../temporal-errors';

export const ListRunsQuerySchema = RunFilterSchema.extend({
  pageSize: z.coerce.number().int().min(1).max(1000).default(100),
  pageToken: z.string().regex(/^[A-Za-z0-9+/=_-]*$/, 'must be a page token from a previous answer').optional(),
});
export type ListRunsQuery = z.infer<typeof ListRunsQuerySchema>;

/** Lists runs through visibility: never queries a workflow, so it stays cheap for many runs. */
export async function listRuns(deps: ApiDeps, filter: RunFilter & { pageSize: number; pageToken?: string }) {
  try {
    return await visibilityPage(deps.client, deps.namespace, visibilityQuery(filter), filter.pageSize, filter.pageToken);
  } catch (err) {
    rethrowTemporalError(err);
  }
}
