import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError } from '../app-error';

/** Without a configured secret, tokens hold for this API process: enough for one reader paging. */
const processSecret = randomBytes(32).toString('base64');

export const pageTokenPattern = /^[A-Za-z0-9_-]{1,4000}\.[A-Za-z0-9_-]{43}$/;

const macOf = (secret: string, query: string, token: string) => createHmac('sha256', secret).update(`${query}\n${token}`).digest();

/**
 * Temporal's page token, sealed with an HMAC over it and the query it pages: Temporal takes
 * seconds to refuse a garbled token, and one from another listing would page the wrong query.
 */
export function sealPageToken(token: string, query: string, secret = processSecret): string {
  return `${token}.${macOf(secret, query, token).toString('base64url')}`;
}

export function openPageToken(sealed: string, query: string, secret = processSecret): string {
  const [token = '', mac = ''] = sealed.split('.');
  const presented = Buffer.from(mac, 'base64url');
  const expected = macOf(secret, query, token);
  if (presented.length === expected.length && timingSafeEqual(presented, expected)) return token;
  throw invalidPageToken();
}

export function invalidPageToken(cause?: unknown): AppError {
  const message = 'not a page token of this listing: pass nextPageToken from the previous answer, with the same filters';
  return new AppError('invalid_request', `invalid query: ${message}`, { fields: [{ field: 'query.pageToken', message }], cause });
}
