import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import express, { Router, type Request } from 'express';
import { AppError } from './app-error';

/** dist/console beside the compiled API (dist/api) or, run from source (api/), under the repo's dist/. */
export const defaultConsoleDir = path.join(path.basename(path.dirname(__dirname)) === 'dist' ? path.dirname(path.dirname(__dirname)) : path.dirname(__dirname), 'dist', 'console');

const apiPaths = /^\/(v1(\/|$)|healthz$|readyz$)/;
// The pages are public (data needs a session); no framing, scripts only from here.
const pageHeaders = {
  'cache-control': 'no-cache',
  'content-security-policy': "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};
const notBuiltPage = `<!doctype html><html lang="id"><meta charset="utf-8"><title>Sinergi</title>
<p>Konsol belum dibangun: jalankan <code>npm run build</code>.</p>
<p lang="en">The console is not built yet: run <code>npm run build</code>.</p></html>`;

const wantsPage = (req: Request) => (req.method === 'GET' || req.method === 'HEAD') && !apiPaths.test(req.path) && req.accepts(['json', 'html']) === 'html';

/**
 * The web console: hashed assets cached for a year, and index.html (no-cache) for any page a
 * browser asks for outside the API, so deep links and the console's own 404 page work.
 */
export function consoleRouter(consoleDir = defaultConsoleDir): Router {
  const router = Router();
  router.use('/assets', express.static(path.join(consoleDir, 'assets'), { index: false, immutable: true, maxAge: '1y', fallthrough: true }));
  router.use('/assets', (req, _res, next) => next(new AppError('not_found', `no console asset ${req.path}`)));
  router.use(async (req, res, next) => {
    if (!wantsPage(req)) return next();
    const index = path.join(consoleDir, 'index.html');
    if (!existsSync(index)) return res.status(404).set(pageHeaders).type('html').send(notBuiltPage);
    res.status(200).set(pageHeaders).type('html').send(await readFile(index, 'utf8'));
  });
  return router;
}
