import type { RequestHandler } from 'express';
import type { Logger } from '../lib/logger';

/**
 * One line per request: method, path, status, time and caller. Never headers, query values
 * or bodies, which carry keys, signatures and households' identities.
 */
export function accessLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const principal = (res.locals.principal as { id?: string } | undefined)?.id;
      const level = res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info';
      logger[level]({ method: req.method, path: req.path, status: res.statusCode, ms: Math.round(ms * 10) / 10, principal }, 'request');
    });
    next();
  };
}
