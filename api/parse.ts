import type { z } from 'zod';
import { isUnstatedRule } from '../domain/stated-rule';
import { AppError } from './app-error';

/** A field left out says so (zod's default names the type it expected). */
const missingField: z.core.$ZodErrorMap = (issue) => (issue.code === 'invalid_type' && issue.input === undefined ? 'required' : undefined);

/**
 * Parses one part of a request with its schema; a failure is a 400 naming every bad field. With
 * `unstatedRules`, input whose only faults break rules the document cannot state (unique keys...)
 * is a 422 instead: it has the document's form, and the route documents the 422.
 */
export function parseRequest<S extends z.ZodType>(schema: S, value: unknown, part: 'body' | 'query' | 'params' | 'headers', options: { unstatedRules?: 'unprocessable' } = {}): z.infer<S> {
  const parsed = schema.safeParse(value, { error: missingField });
  if (parsed.success) return parsed.data;
  const fields = parsed.error.issues.map((issue) => ({
    field: [part, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  const named = fields.map((f) => f.field).join(', ');
  if (options.unstatedRules && parsed.error.issues.every(isUnstatedRule)) throw new AppError('unprocessable', `${part} breaks a rule: ${named}`, { fields });
  throw new AppError('invalid_request', `invalid ${part}: ${named}`, { fields });
}
