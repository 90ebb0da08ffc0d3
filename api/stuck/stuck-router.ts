import { Router } from 'express';
import type { ApiDeps } from '../api-deps';
import { allow } from '../auth/authenticate';
import { parseRequest } from '../parse';
import { StuckQuerySchema, stuckSteps } from './stuck-steps';

export function stuckRouter(deps: ApiDeps): Router {
  const router = Router();
  router.get('/v1/stuck', allow('viewer', 'coordinator', 'manager'), async (req, res) => {
    res.json(await stuckSteps(deps, parseRequest(StuckQuerySchema, req.query, 'query')));
  });
  return router;
}
