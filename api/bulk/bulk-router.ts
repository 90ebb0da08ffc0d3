import { Router } from 'express';
import { z } from 'zod';
import type { BulkOperationResult } from '../../domain/bulk-operation';
import { BulkOperationIdSchema } from '../../domain/ids';
import type { ApiMetrics } from '../../lib/metrics';
import type { ApiDeps } from '../api-deps';
import type { ApiRoutes } from '../api-routes';
import type { Fits } from '../fits';
import { principalOf } from '../auth/authenticate';
import { countOperation } from '../count-operation';
import { scopeOf } from '../auth/principal';
import { IdempotencyHeadersSchema, idempotencyKeyOf } from '../idempotency-key';
import { parseRequest } from '../parse';
import { BulkFilterSchema, BulkOperationRequestSchema, bulkOperationStatus, previewBulkOperation, startBulkOperation } from './bulk-operations';

const BulkParamsSchema = z.object({ id: BulkOperationIdSchema });
const BulkCountsSchema = z.object({
  matched: z.number().int(),
  done: z.number().int(),
  applied: z.number().int(),
  refused: z.number().int(),
  refusals: z.array(z.object({ runId: z.string(), reason: z.string() })),
});
const _resultFits: Fits<BulkOperationResult, typeof BulkCountsSchema> = true;
const StartedBulkSchema = z.object({ operationId: BulkOperationIdSchema, query: z.string() });
const BulkPreviewSchema = z.object({
  matched: z.number().int().meta({ description: "running runs the filter matches now, in the caller's regions" }),
  filter: BulkFilterSchema,
  regions: z.array(z.string()).optional().meta({ description: "for a caller limited to regions: the region prefixes counted, the filter's region intersected with theirs (empty when they do not meet)" }),
});
const BulkStatusSchema = z.object({ operationId: z.string(), status: z.string(), result: BulkCountsSchema.optional(), progress: BulkCountsSchema.optional() });

export function bulkRouter(deps: ApiDeps, routes: ApiRoutes, metrics: ApiMetrics): Router {
  const router = Router();
  routes.add(
    router,
    'post',
    '/v1/bulk-operations',
    {
      summary:
        "Apply one operation to every running run a filter matches, as a durable operation. The filter is intersected with the caller's regions when the operation starts (its query says so), so it never touches a run elsewhere; a filter outside them matches nothing",
      roles: ['manager'],
      headers: IdempotencyHeadersSchema,
      body: { 'application/json': BulkOperationRequestSchema },
      responses: { 202: { description: 'started (or, with the same Idempotency-Key, the one under way)', schema: StartedBulkSchema } },
    },
    async (_input, req, res) => {
      const request = parseRequest(BulkOperationRequestSchema, req.body, 'body');
      const principal = principalOf(res);
      const started = await countOperation(metrics, `bulk-${request.op}`, 'started', () => startBulkOperation(deps, request, principal.id, scopeOf(principal), idempotencyKeyOf(req)));
      res.status(202).location(`/v1/bulk-operations/${encodeURIComponent(started.operationId)}`).json(started);
    },
  );
  routes.add(
    router,
    'post',
    '/v1/bulk-operations/preview',
    {
      summary: "How many running runs a bulk operation would touch now, in the caller's regions; starts nothing",
      roles: ['manager'],
      body: { 'application/json': BulkOperationRequestSchema },
      responses: { 200: { description: 'the count, and the filter it was taken for', schema: BulkPreviewSchema } },
    },
    async (_input, req, res) => {
      res.json(await previewBulkOperation(deps, parseRequest(BulkOperationRequestSchema, req.body, 'body'), scopeOf(principalOf(res))));
    },
  );
  routes.add(
    router,
    'get',
    '/v1/bulk-operations/:id',
    {
      summary: "A bulk operation's progress or result",
      roles: ['viewer', 'coordinator', 'manager'],
      params: BulkParamsSchema,
      responses: {
        200: { description: 'progress or result', schema: BulkStatusSchema },
        404: { description: "no such operation, or one that may touch runs outside the caller's regions (answered alike)" },
      },
    },
    async ({ params: { id } }, _req, res) => {
      res.json(await bulkOperationStatus(deps, id, scopeOf(principalOf(res))));
    },
  );
  return router;
}
