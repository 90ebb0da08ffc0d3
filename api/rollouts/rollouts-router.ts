import { Router } from 'express';
import { z } from 'zod';
import { RolloutIdSchema } from '../../domain/ids';
import { RolloutControlSchema } from '../../domain/rollout';
import type { ApiDeps } from '../api-deps';
import { allow, principalOf } from '../auth/authenticate';
import { parseRequest } from '../parse';
import { controlRollout } from './control-rollout';
import { PreviewRolloutRequestSchema, previewRollout } from './preview-rollout';
import { readRollout, rolloutProgress } from './rollout-progress';
import { writeRolloutReport } from './rollout-report';
import { StartRolloutRequestSchema, startRollout } from './start-rollout';

const RolloutParamsSchema = z.object({ id: RolloutIdSchema });
const ControlParamsSchema = RolloutParamsSchema.extend({ action: RolloutControlSchema.shape.action });

export function rolloutsRouter(deps: ApiDeps): Router {
  const router = Router();
  router.post('/v1/rollouts/preview', allow('coordinator', 'manager'), async (req, res) => {
    res.json(await previewRollout(deps, parseRequest(PreviewRolloutRequestSchema, req.body, 'body')));
  });
  router.post('/v1/rollouts', allow('coordinator'), async (req, res) => {
    const request = parseRequest(StartRolloutRequestSchema, req.body, 'body');
    const started = await startRollout(deps, request, principalOf(res).id, deps.rolloutPace);
    res.status(201).location(`/v1/rollouts/${started.rolloutId}`).json(started);
  });
  router.get('/v1/rollouts/:id', allow('viewer', 'coordinator', 'manager'), async (req, res) => {
    const { id } = parseRequest(RolloutParamsSchema, req.params, 'params');
    res.json(await rolloutProgress(deps, id));
  });
  router.get('/v1/rollouts/:id/report.csv', allow('coordinator', 'manager'), async (req, res) => {
    const { id } = parseRequest(RolloutParamsSchema, req.params, 'params');
    // Read before the headers go out, so an unknown rollout is still a 404.
    const { input } = await readRollout(deps, id);
    res.type('text/csv; charset=utf-8').attachment(`rollout-${id}.csv`);
    await writeRolloutReport(deps, input, res);
  });
  // Pause, resume and cancel: coordinators run their rollouts, managers may stop them too.
  router.post('/v1/rollouts/:id/:action', allow('coordinator', 'manager'), async (req, res) => {
    const { id, action } = parseRequest(ControlParamsSchema, req.params, 'params');
    const control = parseRequest(RolloutControlSchema, { ...req.body, action }, 'body');
    res.json(await controlRollout(deps, id, control, principalOf(res).id, req.get('idempotency-key')));
  });
  return router;
}
