import request from 'supertest';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readCookie } from '../../api/auth/session-cookie';
import { memorySessionStore } from '../../api/auth/session-store';
import { httpJson } from '../../dev/http';
import { startStack, type Stack } from '../../dev/stack';
import { apiKeyOf, type Caller } from '../../dev/stack-credentials';
import { makeHousehold, uniqueRolloutId } from '../helpers/households';
import { offlineApp } from '../../dev/offline-app';
import { startRun, stepIs, waitForState } from '../helpers/runs';

const minutes = (n: number) => n * 60_000;

describe('console sign-in sessions', () => {
  let stack: Stack;
  let runId: string;
  // The sessions' clock: a test moves it to let a session time out.
  let clock = Date.now();
  const signInsPerMinute = 5;

  beforeAll(async () => {
    const sessions = memorySessionStore({ idleMinutes: 30, maxHours: 12, now: () => clock });
    stack = await startStack({ temporalAddress: inject('temporalAddress'), sessions, signInsPerMinute });
    await stack.sims.control.kemensos.setBehaviour({ silent: true });
    runId = await startRun(stack, uniqueRolloutId('session'), makeHousehold());
    await waitForState(stack, runId, stepIs('aid', 'open'));
  });
  afterAll(() => stack?.close());

  async function signIn(as: Caller) {
    const res = await httpJson('POST', `${stack.apiUrl}/v1/session`, { apiKey: apiKeyOf(as) });
    expect(res.status).toBe(201);
    const setCookie = res.headers.getSetCookie()[0]!;
    return { res, setCookie, cookie: setCookie.split(';')[0]!, csrfToken: res.body.csrfToken as string };
  }
  const withCookie = (method: string, path: string, cookie: string, body?: unknown, headers: Record<string, string> = {}) =>
    httpJson(method, `${stack.apiUrl}${path}`, body, { cookie, ...headers });
  const extendAid = () => `/v1/runs/${encodeURIComponent(runId)}/steps/aid/extend`;

  it('signs in: an HttpOnly, SameSite=Strict cookie for the whole site, not Secure over http, and never the key in the answer', async () => {
    const { res, setCookie } = await signIn('manager');
    const attributes = setCookie.split(';').map((a) => a.trim());
    expect(attributes[0]).toMatch(/^sinergi_session=[A-Za-z0-9_-]{43}$/);
    expect(attributes).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/', `Max-Age=${12 * 3600}`]));
    expect(attributes).not.toContain('Secure');
    expect(res.body).toEqual({ principal: { id: 'test-manager', role: 'manager' }, expiresAt: new Date(clock + minutes(30)).toISOString(), csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), personalData: true });
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(`${JSON.stringify(res.body)} ${setCookie}`).not.toContain(apiKeyOf('manager'));
  });

  it('gives a ministry its agency in the principal', async () => {
    const { res } = await signIn('kemensos');
    expect(res.body.principal).toEqual({ id: 'test-ministry-kemensos', role: 'ministry', agency: 'kemensos' });
  });

  it('answers GET /v1/session for the cookie, and 401 for an API key, which has no session', async () => {
    const { cookie, csrfToken } = await signIn('viewer');
    const current = await withCookie('GET', '/v1/session', cookie);
    expect(current.status).toBe(200);
    expect(current.body).toMatchObject({ principal: { id: 'test-viewer', role: 'viewer' }, csrfToken });
    const byKey = await stack.call('GET', '/v1/session', undefined, 'viewer');
    expect(byKey.status).toBe(401);
    expect(byKey.body.error.fields).toEqual([{ field: 'cookies.sinergi_session', message: 'missing' }]);
  });

  it("refuses a manager's cookie changing a run without the CSRF token, and lets it with the token", async () => {
    const { cookie, csrfToken } = await signIn('manager');
    const body = { reason: 'session test', extendBy: 'PT1H' };
    const without = await withCookie('POST', extendAid(), cookie, body);
    expect(without.status).toBe(403);
    expect(without.body.error.fields).toEqual([{ field: 'headers.x-csrf-token', message: 'missing' }]);
    const wrong = await withCookie('POST', extendAid(), cookie, body, { 'x-csrf-token': `${csrfToken.slice(0, -1)}x` });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.fields).toEqual([{ field: 'headers.x-csrf-token', message: 'does not match the session' }]);
    const withToken = await withCookie('POST', extendAid(), cookie, body, { 'x-csrf-token': csrfToken });
    expect(withToken.status).toBe(200);
    expect(withToken.body.operation).toMatchObject({ op: 'extend', stepKey: 'aid', actor: 'test-manager' });
    // Reading needs no token.
    expect((await withCookie('GET', `/v1/runs/${encodeURIComponent(runId)}`, cookie)).status).toBe(200);
  });

  it("refuses a viewer's cookie an operation by its role, CSRF token or not", async () => {
    const { cookie, csrfToken } = await signIn('viewer');
    const res = await withCookie('POST', extendAid(), cookie, { reason: 'session test', extendBy: 'PT1H' }, { 'x-csrf-token': csrfToken });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/a viewer may not/);
    expect(res.body.error.fields).toBeUndefined();
  });

  it('signs out: the session ends server-side, the cookie is cleared, and it authenticates nothing after', async () => {
    const { cookie, csrfToken } = await signIn('manager');
    expect((await withCookie('DELETE', '/v1/session', cookie)).status).toBe(403);
    const out = await withCookie('DELETE', '/v1/session', cookie, undefined, { 'x-csrf-token': csrfToken });
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie()[0]).toMatch(/^sinergi_session=;.*Max-Age=0/);
    for (const [method, path] of [['GET', '/v1/session'], ['GET', '/v1/programs'], ['POST', extendAid()]] as const) {
      const after = await withCookie(method, path, cookie, method === 'POST' ? { reason: 'after sign-out', extendBy: 'PT1H' } : undefined, { 'x-csrf-token': csrfToken });
      expect(after.status, `${method} ${path}`).toBe(401);
      expect(after.body.error.fields[0].field).toBe('cookies.sinergi_session');
    }
  });

  it('expires a session left idle, slides the idle timeout on use, and ends it at its absolute lifetime', async () => {
    const idle = await signIn('coordinator');
    const used = await signIn('coordinator');
    clock += minutes(20);
    const slid = await withCookie('GET', '/v1/session', used.cookie);
    expect(slid.body.expiresAt).toBe(new Date(clock + minutes(30)).toISOString());
    clock += minutes(11);
    const expired = await withCookie('GET', '/v1/programs', idle.cookie);
    expect(expired.status).toBe(401);
    expect(expired.body.error.message).toMatch(/session expired/);
    expect((await withCookie('GET', '/v1/programs', used.cookie)).status).toBe(200);

    // Used every 20 minutes it still ends 12 hours after sign-in.
    const openedAt = clock - minutes(31);
    while (clock + minutes(20) < openedAt + minutes(12 * 60)) {
      clock += minutes(20);
      expect((await withCookie('GET', '/v1/session', used.cookie)).status).toBe(200);
    }
    clock = openedAt + minutes(12 * 60);
    const ended = await withCookie('GET', '/v1/session', used.cookie);
    expect(ended.status).toBe(401);
    expect(ended.body.error.message).toMatch(/session expired/);
  });

  it('documents the three routes and the cookie scheme', async () => {
    const doc = (await stack.call('GET', '/v1/openapi.json', undefined, 'anonymous')).body;
    const session = doc.paths['/v1/session'];
    expect(Object.keys(session.post.responses).sort()).toEqual(['201', '400', '401', '413', '415', '429']);
    expect(session.post.security).toEqual([]);
    expect(session.post.responses['201'].headers['set-cookie']).toBeDefined();
    expect(Object.keys(session.get.responses).sort()).toEqual(['200', '401', '403', '429']);
    expect(session.get.security).toEqual([{ session: [] }]);
    expect(Object.keys(session.delete.responses).sort()).toEqual(['204', '401', '403', '429']);
    expect(doc.paths['/v1/runs'].post.security).toEqual([{ bearer: [] }, { apiKey: [] }, { session: [] }]);
    expect(doc.components.securitySchemes.session).toMatchObject({ type: 'apiKey', in: 'cookie', name: 'sinergi_session' });
  });

  it('names body.apiKey for a wrong key or none', async () => {
    const wrong = await httpJson('POST', `${stack.apiUrl}/v1/session`, { apiKey: 'not-a-key' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.fields).toEqual([{ field: 'body.apiKey', message: 'unknown key' }]);
    expect(wrong.headers.getSetCookie()).toEqual([]);
    const none = await httpJson('POST', `${stack.apiUrl}/v1/session`, {});
    expect(none.status).toBe(400);
    expect(none.body.error.fields[0].field).toBe('body.apiKey');
  });

  // Last: it uses up this address's failed sign-ins. The two failures above count too.
  it('limits failed sign-ins per address (429 with Retry-After), successful ones not counting', async () => {
    for (let i = 0; i < signInsPerMinute + 1; i++) await signIn('viewer');
    const statuses: number[] = [];
    for (let i = 0; i < signInsPerMinute; i++) statuses.push((await httpJson('POST', `${stack.apiUrl}/v1/session`, { apiKey: `guess-${i}` })).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    const limited = await httpJson('POST', `${stack.apiUrl}/v1/session`, { apiKey: apiKeyOf('viewer') });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('60');
  });
});

describe('the session cookie behind TLS', () => {
  // Nothing here reaches Temporal: signing in does not.
  const { app, close } = offlineApp({ secureCookies: true });
  afterAll(close);

  it('is Secure when the API is published over https, though TLS ends before it', async () => {
    const res = await request(app).post('/v1/session').send({ apiKey: apiKeyOf('coordinator') });
    expect(res.status).toBe(201);
    expect(res.headers['set-cookie']![0]!.split('; ')).toContain('Secure');
  });
});

describe('readCookie', () => {
  it('finds a cookie among others, the first of its name, and nothing for a malformed one', () => {
    expect(readCookie('a=1; sinergi_session=abc; b=2', 'sinergi_session')).toBe('abc');
    expect(readCookie('sinergi_session="q"', 'sinergi_session')).toBe('q');
    expect(readCookie('sinergi_session=first;sinergi_session=second', 'sinergi_session')).toBe('first');
    expect(readCookie('x_sinergi_session=no', 'sinergi_session')).toBeUndefined();
    expect(readCookie('sinergi_session=%E0%A4%A', 'sinergi_session')).toBeUndefined();
    expect(readCookie('sinergi_session=', 'sinergi_session')).toBeUndefined();
    expect(readCookie(undefined, 'sinergi_session')).toBeUndefined();
  });
});
