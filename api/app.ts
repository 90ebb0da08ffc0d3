import express from 'express';
import { rateLimit } from 'express-rate-limit';
import { agencyTasksRouter } from './agencies/agency-tasks-router';
import { bulkRouter } from './bulk/bulk-router';
import { cohortsRouter } from './cohorts/cohorts-router';
import { accessLog } from './access-log';
import type { ApiDeps } from './api-deps';
import { AppError } from './app-error';
import { authenticate, principalOf } from './auth/authenticate';
import { errorMiddleware } from './error-middleware';
import { healthRouter } from './health-router';
import { openApiDocument } from './openapi';
import { programsRouter } from './programs/programs-router';
import { rolloutsRouter } from './rollouts/rollouts-router';
import { runsRouter } from './runs/runs-router';
import { stuckRouter } from './stuck/stuck-router';
import { webhooksRouter } from './webhooks/webhooks-router';

/** Builds the API from its dependencies; api/main.ts listens, tests use it directly. */
export function createApp(deps: ApiDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(accessLog(deps.logger));
  app.use(healthRouter(deps));
  const openApi = openApiDocument();
  app.get('/v1/openapi.json', (_req, res) => {
    res.json(openApi);
  });
  // Signed by the ministry, verified on the raw body: before the JSON parser and API keys.
  app.use(webhooksRouter(deps));
  app.use(authenticate(deps.credentials));
  app.use(
    rateLimit({
      windowMs: 60_000,
      limit: deps.rateLimits.apiPerMinute,
      keyGenerator: (_req, res) => principalOf(res).id,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      handler: (_req, _res, next) => next(new AppError('too_many_requests', 'too many requests, slow down', { retryAfterSeconds: 60 })),
    }),
  );
  app.use(cohortsRouter(deps));
  app.use(express.json({ limit: '1mb' }));
  app.use(runsRouter(deps));
  app.use(programsRouter(deps));
  app.use(rolloutsRouter(deps));
  app.use(agencyTasksRouter(deps));
  app.use(stuckRouter(deps));
  app.use(bulkRouter(deps));
  app.use((req, _res, next) => next(new AppError('not_found', `no route ${req.method} ${req.path}`)));
  app.use(errorMiddleware(deps.logger));
  return app;
}
