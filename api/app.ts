import express from 'express';
import { rateLimit } from 'express-rate-limit';
import { agencyTasksRouter } from './agencies/agency-tasks-router';
import { auditRouter } from './audit/audit-router';
import { bulkRouter } from './bulk/bulk-router';
import { CODEC_PATHS, codecRouter } from './codec/codec-router';
import { cohortsRouter } from './cohorts/cohorts-router';
import { consoleRouter } from './console-router';
import { accessLog } from './access-log';
import type { ApiDeps } from './api-deps';
import { ApiRoutes } from './api-routes';
import { AppError } from './app-error';
import { authenticate, principalOf } from './auth/authenticate';
import { errorMiddleware } from './error-middleware';
import { healthRouter } from './health-router';
import { createApiMetrics } from '../lib/metrics';
import { metricsRouter } from './metrics-router';
import { openApiDocument } from './openapi';
import { programsRouter } from './programs/programs-router';
import { sessionsRouter } from './sessions/sessions-router';
import { rolloutsRouter } from './rollouts/rollouts-router';
import { runsRouter } from './runs/runs-router';
import { stuckRouter } from './stuck/stuck-router';
import { webhooksRouter } from './webhooks/webhooks-router';

/** Builds the API from its dependencies; api/main.ts listens, tests use it directly. */
export function createApp(deps: ApiDeps): express.Express {
  const routes = new ApiRoutes();
  // A registry per app: tests start several apps in one process.
  const metrics = createApiMetrics({ stuckCounts: deps.metrics?.stuckCounts, logger: deps.logger });
  const health = healthRouter(deps, routes);
  const metricsEndpoint = metricsRouter(metrics, deps.metrics?.token, routes);
  const webhooks = webhooksRouter(deps, routes, metrics);
  const cohorts = cohortsRouter(deps, routes);
  const sessions = sessionsRouter(deps, routes);
  const codec = codecRouter(deps, routes);
  const resources = [runsRouter, programsRouter, rolloutsRouter, agencyTasksRouter, stuckRouter, bulkRouter, auditRouter].map((router) => router(deps, routes, metrics));
  const documentRouter = express.Router();
  routes.add(documentRouter, 'get', '/v1/openapi.json', { summary: 'This document', temporal: false, responses: { 200: { description: 'the OpenAPI 3.1 document' } } }, (_input, _req, res) => {
    res.json(openApi);
  });
  // Generated once every router has registered its paths.
  const openApi = openApiDocument(routes);

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(accessLog(deps.logger));
  // The Temporal UI's preflight carries no credentials and is answered before the 405 guard.
  app.use(codec.cors);
  app.use(routes.methodGuard());
  app.use(health, metricsEndpoint, documentRouter);
  // The console's pages are public (its data needs a session), so before authentication.
  app.use(consoleRouter(deps.consoleDir));
  // Signed by the ministry, verified on the raw body: before the JSON parser and API keys.
  app.use(webhooks);
  // Signing in is how a console gets its session: before authentication.
  app.use(sessions.signIn);
  app.use(authenticate(deps.credentials, deps.sessions, { csrfExemptPaths: CODEC_PATHS }));
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
  app.use(cohorts);
  // With a body limit of its own (histories' payloads), before the common JSON parser.
  app.use(codec.codec);
  app.use(express.json({ limit: '1mb' }));
  app.use(...resources, sessions.current);
  app.use((req, _res, next) => next(new AppError('not_found', `no route ${req.method} ${req.path}`)));
  app.use(errorMiddleware(deps.logger));
  return app;
}
