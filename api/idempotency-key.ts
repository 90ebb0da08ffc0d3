import type { Request } from 'express';
import { z } from 'zod';
import { IdempotencyKeySchema } from '../domain/ids';
import { parseRequest } from './parse';

/** The same key again is the same request: the first answer, no second effect. */
export const IdempotencyHeadersSchema = z.object({ 'idempotency-key': IdempotencyKeySchema.optional() });

export function idempotencyKeyOf(req: Request): string | undefined {
  return parseRequest(IdempotencyHeadersSchema, { 'idempotency-key': req.get('idempotency-key') }, 'headers')['idempotency-key'];
}
