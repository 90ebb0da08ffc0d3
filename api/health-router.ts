import { Router } from 'express';
import { z } from 'zod';
import type { ApiDeps } from './api-deps';
import type { ApiRoutes } from './api-routes';

const HealthSchema = z.object({ status: z.literal('ok') });
const ReadySchema = z.object({ status: z.enum(['ready', 'not ready']), temporal: z.enum(['reachable', 'unreachable']) });

export function healthRouter(deps: ApiDeps, routes: ApiRoutes): Router {
  const router = Router();
  routes.add(router, 'get', '/healthz', { summary: 'Alive', temporal: false, responses: { 200: { description: 'alive', schema: HealthSchema } } }, (_input, _req, res) => {
    res.json({ status: 'ok' });
  });
  // Ready only when Temporal answers: without it no run can start and no webhook be recorded.
  routes.add(
    router,
    'get',
    '/readyz',
    { summary: 'Ready only when Temporal answers', temporal: false, responses: { 200: { description: 'ready', schema: ReadySchema }, 503: { description: 'Temporal is unreachable', schema: ReadySchema } } },
    async (_input, _req, res) => {
      try {
        await deps.client.withDeadline(Date.now() + 2_000, () => deps.client.workflowService.getSystemInfo({}));
        res.json({ status: 'ready', temporal: 'reachable' });
      } catch {
        res.status(503).set('Retry-After', '5').json({ status: 'not ready', temporal: 'unreachable' });
      }
    },
  );
  return router;
}
