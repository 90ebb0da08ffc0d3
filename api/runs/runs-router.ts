import { Router } from 'express';
import { z } from 'zod';
import { RunIdSchema } from '../../domain/ids';
import type { ApiDeps } from '../api-deps';
import { allow, principalOf } from '../auth/authenticate';
import { parseRequest } from '../parse';
import { StepOperationSchema } from '../../domain/step-operation';
import { getRun } from './get-run';
import { operateRun } from './operate-run';
import { ListRunsQuerySchema, listRuns } from './list-runs';
import { StartRunRequestSchema, startRun } from './start-run';

const RunParamsSchema = z.object({ id: RunIdSchema });
const StepOpParamsSchema = RunParamsSchema.extend({
  key: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'must be a step key'),
  op: z.enum(['retry', 'skip', 'extend', 'reassign']),
});

export function runsRouter(deps: ApiDeps): Router {
  const router = Router();
  router.post('/v1/runs', allow('coordinator', 'manager'), async (req, res) => {
    const request = parseRequest(StartRunRequestSchema, req.body, 'body');
    const started = await startRun(deps, request, principalOf(res).id);
    const self = `/v1/runs/${encodeURIComponent(started.runId)}`;
    res
      .status(201)
      .location(self)
      .json({ ...started, links: { self, ...(deps.temporalUiUrl && { temporalUi: temporalUiLink(deps, started.runId) }) } });
  });
  router.get('/v1/runs', allow('viewer', 'coordinator', 'manager'), async (req, res) => {
    res.json(await listRuns(deps, parseRequest(ListRunsQuerySchema, req.query, 'query')));
  });
  router.get('/v1/runs/:id', allow('viewer', 'coordinator', 'manager'), async (req, res) => {
    const { id } = parseRequest(RunParamsSchema, req.params, 'params');
    const run = await getRun(deps, id);
    res.json({ ...run, links: { ...(deps.temporalUiUrl && { temporalUi: temporalUiLink(deps, id) }) } });
  });
  // A manager's operations, each with a reason; recorded in the run with who and when.
  router.post('/v1/runs/:id/steps/:key/:op', allow('manager'), async (req, res) => {
    const { id, key, op } = parseRequest(StepOpParamsSchema, req.params, 'params');
    const operation = parseRequest(StepOperationSchema, { ...req.body, op, stepKey: key }, 'body');
    res.json(await operateRun(deps, id, operation, principalOf(res).id, req.get('idempotency-key')));
  });
  router.post('/v1/runs/:id/cancel', allow('manager'), async (req, res) => {
    const { id } = parseRequest(RunParamsSchema, req.params, 'params');
    const operation = parseRequest(StepOperationSchema, { ...req.body, op: 'cancel' }, 'body');
    res.json(await operateRun(deps, id, operation, principalOf(res).id, req.get('idempotency-key')));
  });
  return router;
}

function temporalUiLink(deps: ApiDeps, runId: string): string {
  return `${deps.temporalUiUrl}/namespaces/${encodeURIComponent(deps.namespace)}/workflows/${encodeURIComponent(runId)}`;
}
