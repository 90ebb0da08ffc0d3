import type { ErrorRequestHandler } from 'express';
import type { Logger } from '../lib/logger';
import { AppError, errorStatus } from './app-error';

/** Maps AppError codes to statuses; anything else is a 500 that leaks nothing. */
export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (err instanceof AppError) {
      if (err.extra.retryAfterSeconds) res.set('Retry-After', String(err.extra.retryAfterSeconds));
      if (err.code === 'unavailable') logger.warn({ path: req.path, cause: describe(err.cause) }, err.message);
      res.status(errorStatus[err.code]).json({
        error: { code: err.code, message: err.message, ...(err.extra.fields && { fields: err.extra.fields }), ...err.extra.details },
      });
      return;
    }
    // express's body parser: malformed JSON or a body too large.
    const status = typeof err === 'object' && err !== null && 'status' in err ? Number(err.status) : 500;
    if (status >= 400 && status < 500) {
      res.status(status).json({ error: { code: 'invalid_request', message: status === 413 ? 'request body too large' : 'request body is not valid JSON' } });
      return;
    }
    logger.error({ path: req.path, err: describe(err) }, 'unhandled error');
    res.status(500).json({ error: { code: 'internal', message: 'internal error' } });
  };
}

function describe(err: unknown): string | undefined {
  return err instanceof Error ? `${err.name}: ${err.message}` : undefined;
}
