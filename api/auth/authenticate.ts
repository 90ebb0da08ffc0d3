import type { RequestHandler, Response } from 'express';
import { AppError } from '../app-error';
import type { CredentialStore } from './credential-store';
import type { Principal, Role } from './principal';

/** Every API call but health, the OpenAPI document and signed webhooks needs an API key. */
export function authenticate(store: CredentialStore): RequestHandler {
  return (req, res, next) => {
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
    const apiKey = bearer ?? req.get('x-api-key');
    if (!apiKey) {
      res.set('WWW-Authenticate', 'Bearer realm="sinergi"');
      next(new AppError('unauthenticated', 'an API key is required (Authorization: Bearer <key>)', { fields: [{ field: 'headers.authorization', message: 'missing' }] }));
      return;
    }
    const principal = store.authenticate(apiKey);
    if (!principal) {
      res.set('WWW-Authenticate', 'Bearer realm="sinergi", error="invalid_token"');
      next(new AppError('unauthenticated', 'unknown API key', { fields: [{ field: 'headers.authorization', message: 'unknown key' }] }));
      return;
    }
    res.locals.principal = principal;
    next();
  };
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
