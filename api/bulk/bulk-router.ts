import { Router } from 'express';
import { z } from 'zod';
import type { ApiDeps } from '../api-deps';
import { allow, principalOf } from '../auth/authenticate';
import { parseRequest } from '../parse';
import { BulkOperationRequestSchema, bulkOperationStatus, startBulkOperation } from './bulk-operations';

const BulkParamsSchema = z.object({ id: z.string().regex(/^bulk:[A-Za-z0-9_.:-]{1,200}$/, 'must be a bulk operation id') });

export function bulkRouter(deps: ApiDeps): Router {
  const router = Router();
  router.post('/v1/bulk-operations', allow('manager'), async (req, res) => {
    const request = parseRequest(BulkOperationRequestSchema, req.body, 'body');
    const started = await startBulkOperation(deps, request, principalOf(res).id, req.get('idempotency-key'));
    res.status(202).location(`/v1/bulk-operations/${encodeURIComponent(started.operationId)}`).json(started);
  });
  router.get('/v1/bulk-operations/:id', allow('viewer', 'coordinator', 'manager'), async (req, res) => {
    const { id } = parseRequest(BulkParamsSchema, req.params, 'params');
    res.json(await bulkOperationStatus(deps, id));
  });
  return router;
}
