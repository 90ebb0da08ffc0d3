import { Router } from 'express';
import type { ApiDeps } from '../api-deps';
import { allow } from '../auth/authenticate';
import { parseRequest } from '../parse';
import { StuckQuerySchema, stuckSteps } from '../../temporal/visibility/stuck-steps';
import { rethrowTemporalError } from '../temporal-errors';

export function stuckRouter(deps: ApiDeps): Router {
  const router = Router();
  router.get('/v1/stuck', allow('viewer', 'coordinator', 'manager'), async (req, res) => {
    const filter = parseRequest(StuckQuerySchema, req.query, 'query');
    try {
      res.json(await stuckSteps(deps.client, deps.namespace, filter));
    } catch (err) {
      rethrowTemporalError(err);
    }
  });
  return router;
}
