import type { ErrorRequestHandler } from 'express';
import type { Logger } from '../lib/logger';
import { AppError, errorStatus, type ErrorCode } from './app-error';
import type { ErrorBody } from './error-body';
import { isRecordsUnavailable, recordsUnavailable } from './records-errors';

/** Errors raised before a route runs (path decoding, body parsing), by what they were about. */
function requestError(err: unknown): AppError | undefined {
  if (err instanceof URIError) {
    return new AppError('invalid_request', 'the request path is malformed (invalid percent-encoding)', { fields: [{ field: 'path', message: 'invalid percent-encoding' }] });
  }
  if (typeof err !== 'object' || err === null || !('type' in err) || typeof err.type !== 'string') return undefined;
  const byType: Record<string, [ErrorCode, string, string]> = {
    'entity.parse.failed': ['invalid_request', 'request body is not valid JSON', 'body'],
    'entity.too.large': ['payload_too_large', 'request body too large', 'body'],
    'encoding.unsupported': ['unsupported_media_type', 'the content-encoding is not supported (use gzip, deflate, br or none)', 'headers.content-encoding'],
    'charset.unsupported': ['unsupported_media_type', 'the charset is not supported (use utf-8)', 'headers.content-type'],
    'request.size.invalid': ['invalid_request', 'the body is shorter or longer than its content-length', 'headers.content-length'],
    'request.aborted': ['invalid_request', 'the request was aborted before its body was read', 'body'],
  };
  const known = byType[err.type];
  if (known) return new AppError(known[0], known[1], { fields: [{ field: known[2], message: known[1] }], cause: err });
  // Any other client error the body parser names (its messages are written for clients).
  const status = 'status' in err ? Number(err.status) : 500;
  return status >= 400 && status < 500 && err instanceof Error ? new AppError('invalid_request', err.message, { cause: err }) : undefined;
}

/** Maps AppError codes to statuses; anything else is a 500 that leaks nothing. */
export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (thrown, req, res, _next) => {
    const err = thrown instanceof AppError ? thrown : isRecordsUnavailable(thrown) ? recordsUnavailable(thrown) : requestError(thrown);
    if (err) {
      if (err.extra.retryAfterSeconds) res.set('Retry-After', String(err.extra.retryAfterSeconds));
      if (err.code === 'unavailable') logger.warn({ path: req.path, cause: describe(err.cause) }, err.message);
      const body: ErrorBody = { error: { code: err.code, message: err.message, ...(err.extra.fields && { fields: err.extra.fields }), ...err.extra.details } };
      res.status(errorStatus[err.code]).json(body);
      return;
    }
    logger.error({ path: req.path, err: describe(thrown) }, 'unhandled error');
    res.status(500).json({ error: { code: 'internal', message: 'internal error' } } satisfies ErrorBody);
  };
}

function describe(err: unknown): string | undefined {
  return err instanceof Error ? `${err.name}: ${err.message}` : undefined;
}
