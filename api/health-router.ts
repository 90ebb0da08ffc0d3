import { Router } from 'express';
import type { ApiDeps } from './api-deps';

export function healthRouter(deps: ApiDeps): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  // Ready only when Temporal answers: without it no run can start and no webhook be recorded.
  router.get('/readyz', async (_req, res) => {
    try {
      await deps.client.withDeadline(Date.now() + 2_000, () => deps.client.workflowService.getSystemInfo({}));
      res.json({ status: 'ready', temporal: 'reachable' });
    } catch {
      res.status(503).set('Retry-After', '5').json({ status: 'not ready', temporal: 'unreachable' });
    }
  });
  return router;
}
