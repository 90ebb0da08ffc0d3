import express, { Router, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import { atMostCharacters } from '../../domain/text';
import type { ApiDeps } from '../api-deps';
import { retryAfter, type ApiRoutes } from '../api-routes';
import { AppError } from '../app-error';
import { sessionOf, type CurrentSession } from '../auth/authenticate';
import { canSeePersonalData, PrincipalSchema } from '../auth/principal';
import { SESSION_COOKIE, clearSessionCookie, setSessionCookie } from '../auth/session-cookie';
import type { Session } from '../auth/session-store';
import { parseRequest } from '../parse';

const SignInRequestSchema = z.object({ apiKey: atMostCharacters(512).min(1).meta({ maxLength: 512, description: "the person's API key; it is checked, never kept" }) });
const SessionViewSchema = z.object({
  principal: PrincipalSchema,
  expiresAt: z.iso.datetime().meta({ description: 'when the session expires unless used before (each use restarts the idle timeout, up to its absolute lifetime)' }),
  csrfToken: z.string().meta({ description: 'send it as the x-csrf-token header on every request made with the cookie that changes something' }),
  personalData: z.boolean().meta({ description: 'whether the principal has the right to personal data in full (the report with NIK, phone and e-mail; decrypted payloads)' }),
});
const setCookie = z.object({ 'set-cookie': z.string().meta({ description: `${SESSION_COOKIE}=<session id>; HttpOnly; SameSite=Strict; Path=/; Max-Age (Secure over https)` }) });
const everyone = ['viewer', 'coordinator', 'manager', 'ministry'] as const;

const sessionView = (session: Session) => ({
  principal: session.principal,
  expiresAt: session.expiresAt.toISOString(),
  csrfToken: session.csrfToken,
  personalData: canSeePersonalData(session.principal),
});

/**
 * The console's sign-in sessions: `signIn` goes before authentication (it is how one gets a
 * session), `current` after it (it reads and ends the session the request came with).
 */
export function sessionsRouter(deps: ApiDeps, routes: ApiRoutes): { signIn: Router; current: Router } {
  const alwaysSecure = deps.secureCookies ?? false;
  const signIn = Router();
  signIn.post(
    '/v1/session',
    // Per client address, counting failures only: guessing keys is slowed, while the many people of
    // an office behind one address still sign in.
    rateLimit({
      windowMs: 60_000,
      limit: deps.rateLimits.signInsPerMinute,
      skipSuccessfulRequests: true,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      handler: (_req, _res, next) => next(new AppError('too_many_requests', 'too many failed sign-ins from this address, wait a minute', { retryAfterSeconds: 60 })),
    }),
    // Small, as no one is signed in yet, but room for any key the schema allows: 512 characters
    // are up to 6 KB of JSON when each is written as a \\u escape pair.
    express.json({ limit: '16kb' }),
  );
  routes.add(
    signIn,
    'post',
    '/v1/session',
    {
      summary: 'Sign in to the console with an API key: opens a session (an HttpOnly cookie) and gives its CSRF token',
      temporal: false,
      body: { 'application/json': SignInRequestSchema },
      responses: {
        201: { description: 'signed in; the cookie carries the session', schema: SessionViewSchema, headers: setCookie },
        401: { description: 'an unknown API key (body.apiKey)' },
        429: { description: 'too many failed sign-ins from this address; retry after Retry-After seconds', headers: retryAfter },
      },
    },
    async (_input, req, res) => {
      const { apiKey } = parseRequest(SignInRequestSchema, req.body, 'body');
      const principal = deps.credentials.authenticate(apiKey);
      if (!principal) throw new AppError('unauthenticated', 'unknown API key', { fields: [{ field: 'body.apiKey', message: 'unknown key' }] });
      res.locals.principal = principal;
      const { id, session } = await deps.sessions.open(principal);
      setSessionCookie(req, res, id, deps.sessions.lifetimeSeconds, alwaysSecure);
      res.status(201).set('Cache-Control', 'no-store').json(sessionView(session));
    },
  );

  const current = Router();
  routes.add(
    current,
    'get',
    '/v1/session',
    { summary: 'The session the cookie carries: who is signed in, until when, and its CSRF token', roles: everyone, sessionOnly: true, temporal: false, responses: { 200: { description: 'signed in', schema: SessionViewSchema } } },
    (_input, _req, res) => {
      res.set('Cache-Control', 'no-store').json(sessionView(currentSession(res).session));
    },
  );
  routes.add(
    current,
    'delete',
    '/v1/session',
    { summary: 'Sign out: ends the session at once and clears its cookie', roles: everyone, sessionOnly: true, temporal: false, responses: { 204: { description: 'signed out', headers: setCookie } } },
    async (_input, req, res) => {
      await deps.sessions.end(currentSession(res).id);
      clearSessionCookie(req, res, alwaysSecure);
      res.status(204).end();
    },
  );
  return { signIn, current };
}

function currentSession(res: Response): CurrentSession {
  const current = sessionOf(res);
  if (current) return current;
  throw new AppError('unauthenticated', 'no session: this request was authenticated by an API key, not a session cookie', { fields: [{ field: `cookies.${SESSION_COOKIE}`, message: 'missing' }] });
}
