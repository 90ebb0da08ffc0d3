import { Router } from 'express';
import { z } from 'zod';
import { AgencySchema } from '../../domain/agency';
import { WebhookEventSchema, WebhookIdSchema } from '../../domain/webhook-event';
import type { ApiDeps } from '../api-deps';
import { parseRequest } from '../parse';
import { reportOutcome } from './report-outcome';

const WebhookParamsSchema = z.object({ agency: AgencySchema });
const WebhookHeadersSchema = z.object({ 'webhook-id': WebhookIdSchema, 'webhook-timestamp': z.string().regex(/^\d{1,12}$/, 'must be unix seconds') });

export function webhooksRouter(deps: ApiDeps): Router {
  const router = Router();
  router.post('/v1/webhooks/:agency', async (req, res) => {
    const { agency } = parseRequest(WebhookParamsSchema, req.params, 'params');
    const headers = parseRequest(WebhookHeadersSchema, req.headers, 'headers');
    const event = parseRequest(WebhookEventSchema, req.body, 'body');
    res.json(await reportOutcome(deps, agency, headers['webhook-id'], event));
  });
  return router;
}
