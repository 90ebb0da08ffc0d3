import { queryOptions, type QueryClient } from '@tanstack/react-query';
import createClient from 'openapi-fetch';
import { dataOrThrow } from './api-error';
import { api } from './client';
import type { paths } from './schema';
import { sessionKey } from './use-session';

export type StuckQuery = NonNullable<paths['/v1/stuck']['get']['parameters']['query']>;

const defaultPageSize = 50;
const maxPageSize = 500;
export const filterNames = ['agency', 'region', 'program', 'rollout', 'minAge'] as const;

/** The stuck list's query as the page's URL states it: filters, page size (clamped) and offset. */
export function stuckQueryOf(params: URLSearchParams): StuckQuery & { pageSize: number; offset: number } {
  const pageSize = Math.min(maxPageSize, Math.max(1, Number(params.get('pageSize')) || defaultPageSize));
  const query = { pageSize, offset: Number(params.get('offset') ?? 0) };
  for (const name of filterNames) {
    const value = params.get(name);
    if (value) Object.assign(query, { [name]: value });
  }
  return query;
}

type StuckClient = Pick<typeof api, 'GET'>;
const fetchStuck = async (client: StuckClient, query: StuckQuery) => dataOrThrow(await client.GET('/v1/stuck', { params: { query } }));

/** One page of stuck steps, through the shared client: a 401 sends the person to sign-in. */
export const stuckListQuery = (query: StuckQuery) => queryOptions({ queryKey: ['stuck', query], queryFn: () => fetchStuck(api, query) });

// Asked before anyone knows whether a session exists, a 401 only means "signed out", which the
// shell answers by showing sign-in: so this request goes without the shared client's redirect.
const beforeSessionApi = createClient<paths>({ baseUrl: window.location.origin, credentials: 'same-origin' });

/**
 * On a first load, asks for the stuck list beside the session rather than after it (the page
 * then finds the answer in the cache, or on its way). Once the session is known, the page asks
 * for itself, as any page does.
 */
export function prefetchStuckListBesideSession(queryClient: QueryClient, params: URLSearchParams): void {
  if (queryClient.getQueryState(sessionKey)) return;
  const query = stuckQueryOf(params);
  void queryClient.prefetchQuery({ ...stuckListQuery(query), queryFn: () => fetchStuck(beforeSessionApi, query) });
}
