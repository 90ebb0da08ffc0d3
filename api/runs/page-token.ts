import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { isGrpcServiceError } from '@temporalio/client';
import { z } from 'zod';
import { numberText } from '../../domain/number-text';
import { AppError } from '../app-error';
import { rethrowTemporalError } from '../temporal-errors';

/** Without a configured secret, tokens hold for this API process: enough for one reader paging. */
const processSecret = randomBytes(32).toString('base64');

export const pageTokenPattern = /^[A-Za-z0-9_-]{1,4000}\.[A-Za-z0-9_-]{43}$/;

/** The paging half of a visibility listing's query string. */
export const PageQuerySchema = z.object({
  pageSize: numberText(z.coerce.number().int().min(1).max(1000)).default(100),
  pageToken: z.string().regex(pageTokenPattern, 'must be nextPageToken from a previous answer').optional(),
});

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
  throw pageNotFound();
}

/** A page token names a page; one that names no page of this listing (another listing's, a forged one) is not found. */
export function pageNotFound(cause?: unknown): AppError {
  const message = 'names no page of this listing: pass nextPageToken from the previous answer, with the same filters';
  return new AppError('page_not_found', `query.pageToken ${message}`, { fields: [{ field: 'query.pageToken', message }], cause });
}

/** The 404 a paged listing documents beside its 200. */
export const pageNotFoundResponse = { 404: { description: 'query.pageToken names no page of this listing (code page_not_found): start again without it' } };

/**
 * One page of a visibility listing: opens the caller's sealed token, reads the page with
 * Temporal's own token, and seals the next one to the same query.
 */
export async function readSealedPage<P extends { nextPageToken?: string }>(
  query: string,
  sealed: string | undefined,
  secret: string | undefined,
  read: (token: string | undefined) => Promise<P>,
): Promise<P> {
  const token = sealed === undefined ? undefined : openPageToken(sealed, query, secret);
  try {
    const page = await read(token);
    return { ...page, nextPageToken: page.nextPageToken && sealPageToken(page.nextPageToken, query, secret) };
  } catch (err) {
    // A sealed token Temporal still refuses (e.g. from before a server reset).
    if (token && isGrpcServiceError(err) && err.code === status.INVALID_ARGUMENT) throw pageNotFound(err);
    rethrowTemporalError(err);
  }
}
