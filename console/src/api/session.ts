import createClient from 'openapi-fetch';
import { dataOrThrow } from './api-error';
import type { paths } from './schema';

export type SessionAnswer = paths['/v1/session']['get']['responses'][200]['content']['application/json'];

// Without the shared client's middleware: a 401 here means "signed out", not "go and sign in".
const sessionApi = createClient<paths>({ baseUrl: window.location.origin, credentials: 'same-origin' });
let current: SessionAnswer | undefined;

/** Exchanges an API key for a session cookie; the key goes no further than this request. */
export async function signIn(apiKey: string): Promise<SessionAnswer> {
  current = dataOrThrow(await sessionApi.POST('/v1/session', { body: { apiKey } }));
  return current;
}

/** The session the cookie holds, or null when signed out or expired (null, not undefined: a query's data cannot be undefined). */
export async function currentSession(): Promise<SessionAnswer | null> {
  const answer = await sessionApi.GET('/v1/session');
  current = answer.response.status === 401 ? undefined : dataOrThrow(answer);
  return current ?? null;
}

export async function signOut(): Promise<void> {
  const token = current?.csrfToken;
  await sessionApi.DELETE('/v1/session', { headers: token ? { 'x-csrf-token': token } : {} });
  current = undefined;
}

/** The CSRF token mutating requests carry, asked for once per page load. */
export async function csrfTokenForMutations(): Promise<string | undefined> {
  return (current ?? (await currentSession()))?.csrfToken;
}
