import { RolloutFilterSchema, rolloutPage, rolloutsQuery, type RolloutFilter } from '../../temporal/visibility/rollout-page';
import { regionsOfScope, type RegionScope } from '../../domain/region-scope';
import type { ApiDeps } from '../api-deps';
import { PageQuerySchema, readSealedPage } from '../runs/page-token';
import { cohortInScope } from './cohort-scope';

export const ListRolloutsQuerySchema = RolloutFilterSchema.extend(PageQuerySchema.shape);

/**
 * One visibility page of rollouts per request: never reads every rollout, never queries one. For
 * a principal limited to regions, only rollouts with households there, counted there alone (a
 * page may then hold fewer than pageSize).
 */
export async function listRollouts(deps: ApiDeps, filter: RolloutFilter & { pageSize: number; pageToken?: string }, scope: RegionScope) {
  const query = rolloutsQuery(filter);
  const page = await readSealedPage(query, filter.pageToken, deps.pageTokenSecret, (token) => rolloutPage(deps.client, deps.namespace, query, filter.pageSize, token));
  if (scope === 'national') return page;
  const inScope = await Promise.all(
    page.rollouts.map(async (rollout) => {
      // One started before its cohort was kept in the memo cannot be placed: not shown.
      const households = rollout.cohortId ? (await cohortInScope(deps.records, rollout.cohortId, scope)).households : 0;
      return households > 0 ? [{ ...rollout, households }] : [];
    }),
  );
  return { ...page, rollouts: inScope.flat(), regions: regionsOfScope(scope) };
}
