import type { RegionScope } from '../../domain/region-scope';
import { RunFilterSchema, visibilityQuery, type RunFilter } from '../../temporal/visibility/run-filter';
import { visibilityPage } from '../../temporal/visibility/run-page';
import type { ApiDeps } from '../api-deps';
import { PageQuerySchema, readSealedPage } from './page-token';

export const ListRunsQuerySchema = RunFilterSchema.extend(PageQuerySchema.shape);

/**
 * Lists runs through visibility: never queries a workflow, so it stays cheap for many runs. Only
 * runs in the scope; a page token is sealed with its query, so it pages only the scope it was for.
 */
export async function listRuns(deps: ApiDeps, filter: RunFilter & { pageSize: number; pageToken?: string }, scope: RegionScope) {
  const query = visibilityQuery(filter, scope, deps.householdKeyOf);
  return readSealedPage(query, filter.pageToken, deps.pageTokenSecret, (token) => visibilityPage(deps.client, deps.namespace, query, filter.pageSize, token));
}
