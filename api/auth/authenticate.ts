import type { Request, RequestHandler, Response } from 'express';
import { AppError } from '../app-error';
import type { CredentialStore } from './credential-store';
import { checkCsrfToken } from './csrf-token';
import type { Principal, Role } from './principal';
import { SESSION_COOKIE, sessionIdOf } from './session-cookie';
import type { Session, SessionStore } from './session-store';

export interface AuthenticateOptions {
  /**
   * POST routes that change nothing (the codec's: payloads do not fit in a URL), which the
   * Temporal UI calls with the cookie but cannot give a CSRF token; CORS keeps other sites from
   * reading their answers.
   */
  csrfExemptPaths?: readonly string[];
}

/**
 * Every API call but health, the OpenAPI document, signed webhooks and sign-in needs an API key
 * or a console session's cookie; a cookie's mutating requests also need its CSRF token.
 */
export function authenticate(store: CredentialStore, sessions: SessionStore, options: AuthenticateOptions = {}): RequestHandler {
  const csrfExempt = new Set(options.csrfExemptPaths);
  return async (req, res, next) => {
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
    const apiKey = bearer ?? req.get('x-api-key');
    const sessionId = sessionIdOf(req);
    if (apiKey) res.locals.principal = byApiKey(store, apiKey, res);
    else if (sessionId) Object.assign(res.locals, await bySession(sessions, sessionId, req, res, !csrfExempt.has(req.path)));
    else {
      res.set('WWW-Authenticate', 'Bearer realm="sinergi"');
      throw new AppError('unauthenticated', 'an API key (Authorization: Bearer <key>) or a session cookie is required', { fields: [{ field: 'headers.authorization', message: 'missing' }] });
    }
    next();
  };
}

function byApiKey(store: CredentialStore, apiKey: string, res: Response): Principal {
  const principal = store.authenticate(apiKey);
  if (principal) return principal;
  res.set('WWW-Authenticate', 'Bearer realm="sinergi", error="invalid_token"');
  throw new AppError('unauthenticated', 'unknown API key', { fields: [{ field: 'headers.authorization', message: 'unknown key' }] });
}

async function bySession(sessions: SessionStore, id: string, req: Request, res: Response, csrf: boolean): Promise<{ principal: Principal; session: CurrentSession }> {
  const session = await sessions.use(id);
  if (!session || session === 'expired') {
    res.set('WWW-Authenticate', 'Bearer realm="sinergi"');
    const message = session === 'expired' ? 'the session expired; sign in again' : 'the session has ended (signed out or expired); sign in again';
    throw new AppError('unauthenticated', message, { fields: [{ field: `cookies.${SESSION_COOKIE}`, message: session ?? 'unknown or ended' }] });
  }
  if (csrf) checkCsrfToken(req, session.csrfToken);
  return { principal: session.principal, session: { id, session } };
}

/** The console session a request was authenticated by. */
export interface CurrentSession {
  id: string;
  session: Session;
}

/** The session the request came with, if it was authenticated by its cookie (not an API key). */
export function sessionOf(res: Response): CurrentSession | undefined {
  return res.locals.session as CurrentSession | undefined;
}

export function principalOf(res: Response): Principal {
  return res.locals.principal as Principal;
}

/** Refuses (403) a principal whose role is not one of these. */
export function allow(...roles: Role[]): RequestHandler {
  return (_req, res, next) => {
    const principal = principalOf(res);
    if (roles.includes(principal.role)) next();
    else next(new AppError('forbidden', `a ${principal.role} may not do this (allowed: ${roles.join(', ')})`));
  };
}
