import type { z } from 'zod';
import { AppError } from './app-error';

/** Parses one part of a request with its schema; a failure is a 400 naming every bad field. */
export function parseRequest<S extends z.ZodType>(schema: S, value: unknown, part: 'body' | 'query' | 'params' | 'headers'): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const fields = parsed.error.issues.map((issue) => ({
    field: [part, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  throw new AppError('invalid_request', `invalid ${part}: ${fields.map((f) => f.field).join(', ')}`, { fields });
}
