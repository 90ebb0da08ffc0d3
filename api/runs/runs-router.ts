import { Router } from 'express';
import { z } from 'zod';
import { RunIdSchema } from '../../domain/ids';
import type { ApiDeps } from '../api-deps';
import { allow, principalOf } from '../auth/authenticate';
import { parseRequest } from '../parse';
import { getRun } from './get-run';
import { ListRunsQuerySchema, listRuns } from './list-runs';
import { StartRunRequestSchema, startRun } from './start-run';

const RunParamsSchema = z.object({ id: RunIdSchema });

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
  return router;
}

function temporalUiLink(deps: ApiDeps, runId: string): string {
  return `${deps.temporalUiUrl}/namespaces/${encodeURIComponent(deps.namespace)}/workflows/${encodeURIComponent(runId)}`;
}
