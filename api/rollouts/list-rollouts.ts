import { RolloutFilterSchema, rolloutPage, rolloutsQuery, type RolloutFilter } from '../../temporal/visibility/rollout-page';
import type { ApiDeps } from '../api-deps';
import { PageQuerySchema, readSealedPage } from '../runs/page-token';

export const ListRolloutsQuerySchema = RolloutFilterSchema.extend(PageQuerySchema.shape);

/** One visibility page of rollouts per request: never reads every rollout, never queries one. */
export async function listRollouts(deps: ApiDeps, filter: RolloutFilter & { pageSize: number; pageToken?: string }) {
  const query = rolloutsQuery(filter);
  return readSealedPage(query, filter.pageToken, deps.pageTokenSecret, (token) => rolloutPage(deps.client, deps.namespace, query, filter.pageSize, token));
}
