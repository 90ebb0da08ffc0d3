import express, { Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import { AgencySchema } from '../../domain/agency';
import { WebhookEventSchema, WebhookIdSchema } from '../../domain/webhook-event';
import type { ApiMetrics } from '../../lib/metrics';
import { findSignatureProblem } from '../../lib/standard-webhooks';
import type { ApiDeps } from '../api-deps';
import type { ApiRoutes } from '../api-routes';
import { AppError } from '../app-error';
import { parseRequest } from '../parse';
import { countWebhooks } from './count-webhooks';
import { RecordedOutcomeSchema, RecordedProgressSchema, reportOutcome } from './report-outcome';

const WebhookParamsSchema = z.object({ agency: AgencySchema });
const WebhookHeadersSchema = z.object({
  'webhook-id': WebhookIdSchema.meta({ description: 'unique per event, the same on every redelivery' }),
  'webhook-timestamp': z.string().regex(/^\d{1,12}$/).meta({ description: 'unix seconds; refused more than 5 minutes off' }),
  'webhook-signature': z.string().meta({ description: 'v1,<base64 HMAC-SHA256 of "id.timestamp.body" over the raw body bytes>; several, space-separated, while rotating' }),
});
const WebhookIdHeaderSchema = WebhookHeadersSchema.pick({ 'webhook-id': true });
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Ministries' webhooks. The signature is the credential: it is checked on the raw body bytes
 * against the agency's secrets before anything is parsed or done.
 */
export function webhooksRouter(deps: ApiDeps, routes: ApiRoutes, metrics: ApiMetrics): Router {
  const router = Router();
  router.post(
    '/v1/webhooks/:agency',
    // First, so a webhook the rate limiter or the body parser refuses is counted too.
    countWebhooks(metrics),
    rateLimit({
      windowMs: 60_000,
      limit: deps.rateLimits.webhooksPerMinute,
      keyGenerator: (req) => String(req.params.agency),
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      handler: (_req, _res, next) => next(new AppError('too_many_requests', 'too many webhooks, slow down', { retryAfterSeconds: 60 })),
    }),
    express.raw({ type: () => true, limit: '256kb' }),
  );
  routes.add(
    router,
    'post',
    '/v1/webhooks/:agency',
    {
      summary: "A ministry reports a task's outcome or progress, signed with Standard Webhooks",
      params: WebhookParamsSchema,
      headers: WebhookHeadersSchema,
      body: { 'application/json': WebhookEventSchema },
      responses: {
        200: { description: 'durably recorded in the run; a redelivery (same webhook-id, same body) gets the same answer', schema: z.union([RecordedOutcomeSchema, RecordedProgressSchema]) },
        401: { description: 'signature missing, wrong or outside the time window (the header is named)' },
        403: { description: 'the task belongs to another agency' },
        404: { description: 'unknown task' },
        409: { description: 'the task is already closed, or this webhook-id was used for a different event' },
        422: { description: 'the result lacks what the step kind needs (each field named)' },
        429: { description: 'too many webhooks; retry after Retry-After seconds' },
      },
    },
    async ({ params: { agency } }, req, res) => {
      const body: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const problem = findSignatureProblem(
        { id: req.get('webhook-id'), timestamp: req.get('webhook-timestamp'), signature: req.get('webhook-signature'), body },
        deps.webhooks.secrets[agency],
        deps.webhooks.toleranceSeconds,
      );
      if (problem) {
        const message = { missing: 'missing', stale: 'outside the accepted time window', mismatch: `does not match any ${agency} secret` }[problem.problem];
        throw new AppError('unauthenticated', `webhook signature rejected: ${problem.header} ${message}`, {
          fields: [{ field: `headers.${problem.header}`, message }],
        });
      }
      const { 'webhook-id': webhookId } = parseRequest(WebhookIdHeaderSchema, req.headers, 'headers');
      let json: unknown;
      try {
        json = JSON.parse(utf8.decode(body));
      } catch {
        throw new AppError('invalid_request', 'the webhook body is not valid JSON in UTF-8', { fields: [{ field: 'body', message: 'must be a JSON event in UTF-8' }] });
      }
      const event = parseRequest(WebhookEventSchema, json, 'body');
      res.json(await reportOutcome(deps, agency, webhookId, event));
    },
  );
  return router;
}
