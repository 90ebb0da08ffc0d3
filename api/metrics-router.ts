import { Router } from 'express';
import { z } from 'zod';
import { METRICS_CONTENT_TYPE, metricsScrapeAllowed, type ApiMetrics } from '../lib/metrics';
import type { ApiRoutes } from './api-routes';
import { AppError } from './app-error';

/**
 * GET /metrics for Prometheus. Operational like /readyz, so outside the API keys (a scraper
 * carries none); METRICS_TOKEN, when set, restricts it to scrapers sending that bearer token.
 */
export function metricsRouter(metrics: ApiMetrics, token: string | undefined, routes: ApiRoutes): Router {
  const router = Router();
  routes.add(
    router,
    'get',
    '/metrics',
    {
      summary: "This API process's Prometheus metrics",
      temporal: false,
      responses: {
        200: { description: 'the Prometheus text exposition format, version 0.0.4', content: { 'text/plain': z.string() } },
        401: { description: 'METRICS_TOKEN is set and the request does not send it as `Authorization: Bearer <token>`' },
      },
    },
    async (_input, req, res) => {
      if (!metricsScrapeAllowed(req.get('authorization'), token)) {
        throw new AppError('unauthenticated', 'the metrics need the metrics bearer token', { fields: [{ field: 'headers.authorization', message: 'must be Bearer <METRICS_TOKEN>' }] });
      }
      const text = await metrics.registry.metrics();
      // Set as prom-client gives it: express's send would rewrite the type's parameters.
      res.status(200).setHeader('content-type', METRICS_CONTENT_TYPE);
      res.end(text);
    },
  );
  return router;
}
