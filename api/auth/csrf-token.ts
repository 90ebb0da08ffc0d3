import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { AppError } from '../app-error';

export const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const digest = (token: string) => createHash('sha256').update(token, 'utf8').digest();

/**
 * A browser sends the session cookie with any request to the API, so a request that changes
 * something must also prove it comes from the console's own page: a header only that page can
 * set, equal to its session's token (compared in constant time, by digest so lengths match).
 */
export function checkCsrfToken(req: Request, expected: string): void {
  if (SAFE_METHODS.has(req.method)) return;
  const presented = req.get(CSRF_HEADER);
  if (presented && timingSafeEqual(digest(presented), digest(expected))) return;
  throw new AppError('forbidden', `a request made with the session cookie that changes something needs the session's ${CSRF_HEADER} header`, {
    fields: [{ field: `headers.${CSRF_HEADER}`, message: presented ? 'does not match the session' : 'missing' }],
  });
}
