import { RunFilterSchema, visibilityQuery, type RunFilter } from '../../temporal/visibility/run-filter';
import { visibilityPage } from '../../temporal/visibility/run-page';
import type { ApiDeps } from '../api-deps';
import { PageQuerySchema, readSealedPage } from './page-token';

export const ListRunsQuerySchema = RunFilterSchema.extend(PageQuerySchema.shape);

/** Lists runs through visibility: never queries a workflow, so it stays cheap for many runs. */
export async function listRuns(deps: ApiDeps, filter: RunFilter & { pageSize: number; pageToken?: string }) {
  const query = visibilityQuery(filter);
  return readSealedPage(query, filter.pageToken, deps.pageTokenSecret, (token) => visibilityPage(deps.client, deps.namespace, query, filter.pageSize, token));
}
