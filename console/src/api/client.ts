import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';
import { csrfTokenForMutations } from './session';

const mutating = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Where a request that found no session sends the person: sign-in, then back here. */
export function signInPath(next = window.location.pathname + window.location.search): string {
  return `/sign-in?next=${encodeURIComponent(next)}`;
}

/** The sign-in page for a person whose session ran out (or was ended elsewhere) while they used a page: it tells them so. */
export const sessionEndedPath = () => `${signInPath()}&ended=1`;

const sessionMiddleware: Middleware = {
  async onRequest({ request }) {
    if (!mutating.has(request.method)) return request;
    const token = await csrfTokenForMutations();
    if (token) request.headers.set('x-csrf-token', token);
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401 && !window.location.pathname.startsWith('/sign-in')) window.location.assign(sessionEndedPath());
    return response;
  },
};

/** The typed /v1 client (types generated from the API's OpenAPI document), authenticated by the session cookie. */
export const api = createClient<paths>({ baseUrl: window.location.origin, credentials: 'same-origin' });
api.use(sessionMiddleware);
