import { timingSafeEqual } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/**
 * Standard Webhooks signing (webhook-id, webhook-timestamp, webhook-signature: v1,<base64
 * HMAC-SHA256 of "id.timestamp.body">), used both ways: ministries sign the webhooks they send
 * us, and we sign the task requests we send them. The HMAC itself is the library's.
 */
export function signedHeaders(secret: string, id: string, body: string, at: Date = new Date()): Record<string, string> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(id, at, body),
  };
}

export type SignatureProblem =
  | { problem: 'missing'; header: 'webhook-id' | 'webhook-timestamp' | 'webhook-signature' }
  | { problem: 'stale'; header: 'webhook-timestamp' }
  | { problem: 'mismatch'; header: 'webhook-signature' };

export interface SignedMessage {
  id?: string;
  timestamp?: string;
  signature?: string;
  /** The raw body bytes as received: any re-serialisation would change the signature. */
  body: Buffer | string;
}

/**
 * Checks a message against every secret still accepted (rotation), in constant time per
 * comparison, and refuses timestamps outside the tolerance window (replays). The library's
 * own verify has a fixed 5-minute window; ours is configurable, so we compare here.
 */
export function findSignatureProblem(
  message: SignedMessage,
  secrets: readonly string[],
  toleranceSeconds: number,
  nowMs: number = Date.now(),
): SignatureProblem | undefined {
  if (!message.id) return { problem: 'missing', header: 'webhook-id' };
  if (!message.timestamp || !/^\d{1,12}$/.test(message.timestamp)) return { problem: 'missing', header: 'webhook-timestamp' };
  if (!message.signature) return { problem: 'missing', header: 'webhook-signature' };
  const seconds = Number(message.timestamp);
  if (Math.abs(nowMs / 1000 - seconds) > toleranceSeconds) return { problem: 'stale', header: 'webhook-timestamp' };
  const presented = message.signature
    .split(' ')
    .filter((s) => s.startsWith('v1,'))
    .map((s) => Buffer.from(s.slice(3), 'base64'));
  const body = typeof message.body === 'string' ? message.body : message.body.toString('utf8');
  for (const secret of secrets) {
    const expected = Buffer.from(new Webhook(secret).sign(message.id, new Date(seconds * 1000), body).slice(3), 'base64');
    if (presented.some((p) => p.length === expected.length && timingSafeEqual(p, expected))) return undefined;
  }
  return { problem: 'mismatch', header: 'webhook-signature' };
}
