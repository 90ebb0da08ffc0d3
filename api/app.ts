import express from 'express';
import type { ApiDeps } from './api-deps';
import { AppError } from './app-error';
import { errorMiddleware } from './error-middleware';
import { healthRouter } from './health-router';
import { openApiDocument } from './openapi';
import { runsRouter } from './runs/runs-router';
import { webhooksRouter } from './webhooks/webhooks-router';

/** Builds the API from its dependencies; api/main.ts listens, tests use it directly. */
export function createApp(deps: ApiDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '1mb' }));
  app.use(healthRouter(deps));
  const openApi = openApiDocument();
  app.get('/v1/openapi.json', (_req, res) => {
    res.json(openApi);
  });
  app.use(runsRouter(deps));
  app.use(webhooksRouter(deps));
  app.use((req, _res, next) => next(new AppError('not_found', `no route ${req.method} ${req.path}`)));
  app.use(errorMiddleware(deps.logger));
  return app;
}
