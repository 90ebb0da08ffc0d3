import type { Logger } from '../../lib/logger';
import type { WebhookEvent } from '../../domain/webhook-event';
import { signedHeaders } from '../../lib/standard-webhooks';

export interface Delivery {
  status?: number;
  deliveredAt?: string;
  /** How long Sinergi took to answer the accepted delivery (what a ministry waits for). */
  latencyMs?: number;
}

/**
 * Delivers a webhook as a ministry would: the same webhook-id on every retry, exponential
 * backoff on network errors, 5xx and 429, and no retry for other answers.
 */
export async function deliverWebhook(options: {
  url: string;
  webhookId: string;
  event: WebhookEvent;
  /** Signed afresh on every try: the timestamp moves, the webhook-id stays. */
  secret: string;
  signal: AbortSignal;
  logger: Logger;
  giveUpAfterMs?: number;
}): Promise<Delivery> {
  const body = JSON.stringify(options.event);
  const deadline = Date.now() + (options.giveUpAfterMs ?? 600_000);
  for (let backoffMs = 500; !options.signal.aborted; backoffMs = Math.min(backoffMs * 2, 30_000)) {
    let status: number | undefined;
    const sentAt = performance.now();
    try {
      const res = await fetch(options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signedHeaders(options.secret, options.webhookId, body) },
        body,
        signal: options.signal,
      });
      status = res.status;
      await res.arrayBuffer();
      if (status < 500 && status !== 429) {
        if (status >= 400) options.logger.warn({ webhookId: options.webhookId, status }, 'webhook refused');
        return { status, deliveredAt: new Date().toISOString(), latencyMs: performance.now() - sentAt };
      }
    } catch {
      if (options.signal.aborted) break;
    }
    if (Date.now() + backoffMs > deadline) {
      options.logger.error({ webhookId: options.webhookId, status }, 'webhook given up');
      return { status };
    }
    options.logger.info({ webhookId: options.webhookId, status, retryInMs: backoffMs }, 'webhook retry');
    await sleep(backoffMs, options.signal);
  }
  return {};
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
