import express, { Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import { AgencySchema } from '../../domain/agency';
import { WebhookEventSchema, WebhookIdSchema } from '../../domain/webhook-event';
import { findSignatureProblem } from '../../lib/standard-webhooks';
import type { ApiDeps } from '../api-deps';
import { AppError } from '../app-error';
import { parseRequest } from '../parse';
import { reportOutcome } from './report-outcome';

const WebhookParamsSchema = z.object({ agency: AgencySchema });
const WebhookIdHeaderSchema = z.object({ 'webhook-id': WebhookIdSchema });

/**
 * Ministries' webhooks. The signature is the credential: it is checked on the raw body bytes
 * against the agency's secrets before anything is parsed or done.
 */
export function webhooksRouter(deps: ApiDeps): Router {
  const router = Router();
  router.post(
    '/v1/webhooks/:agency',
    rateLimit({
      windowMs: 60_000,
      limit: deps.rateLimits.webhooksPerMinute,
      keyGenerator: (req) => String(req.params.agency),
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      handler: (_req, _res, next) => next(new AppError('too_many_requests', 'too many webhooks, slow down', { retryAfterSeconds: 60 })),
    }),
    express.raw({ type: () => true, limit: '256kb' }),
    async (req, res) => {
      const { agency } = parseRequest(WebhookParamsSchema, req.params, 'params');
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
        json = JSON.parse(body.toString('utf8'));
      } catch {
        throw new AppError('invalid_request', 'request body is not valid JSON');
      }
      const event = parseRequest(WebhookEventSchema, json, 'body');
      res.json(await reportOutcome(deps, agency, webhookId, event));
    },
  );
  return router;
}
