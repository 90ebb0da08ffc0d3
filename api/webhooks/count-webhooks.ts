import type { RequestHandler } from 'express';
import { agencyLabel, type ApiMetrics, type WebhookResult } from '../../lib/metrics';

/** Webhook ids answered 2xx remembered per app, to tell a redelivery from a first delivery. */
const rememberedIds = 10_000;

/** Each refusal the webhook route gives (see its OpenAPI responses), by status. */
const refusals: Record<number, WebhookResult> = {
  400: 'invalid',
  413: 'invalid',
  415: 'invalid',
  422: 'invalid',
  401: 'rejected_signature',
  // The task is not one of this agency's: unknown to it, as a 404 is.
  403: 'unknown_task',
  404: 'unknown_task',
  409: 'conflict',
  429: 'rate_limited',
};

/**
 * Counts every webhook where its answer is sent, whatever answered it (the rate limiter, the
 * body parser, the signature check, the run). Temporal answers a redelivery with the first
 * answer and no sign of having seen it, so a duplicate is a webhook id this process already
 * answered 2xx; one answered by another replica or before a restart counts as accepted.
 */
export function countWebhooks(metrics: ApiMetrics): RequestHandler {
  const answered = new Set<string>();
  const resultOf = (status: number, eventKey: string): WebhookResult => {
    if (status < 200 || status >= 300) return refusals[status] ?? 'error';
    if (answered.has(eventKey)) return 'duplicate';
    answered.add(eventKey);
    // A Set iterates in insertion order: the oldest id goes first.
    if (answered.size > rememberedIds) answered.delete(answered.values().next().value!);
    return 'accepted';
  };
  return (req, res, next) => {
    const agency = agencyLabel(req.params.agency);
    res.on('finish', () => metrics.webhookAnswered(agency, resultOf(res.statusCode, `${agency}:${req.get('webhook-id') ?? ''}`)));
    next();
  };
}
