import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Standard Webhooks signing (webhook-id, webhook-timestamp, webhook-signature: v1,<base64
 * HMAC-SHA256 of "id.timestamp.body">), used both ways: ministries sign the webhooks they send
 * us, and we sign the task requests we send them. Computed here over the body's bytes: a
 * library taking a string would decode them first, and a body that is not UTF-8 would change.
 */
function hmac(secret: string, id: string, seconds: number, body: Buffer | string): Buffer {
  const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
  return createHmac('sha256', key).update(`${id}.${seconds}.`).update(body).digest();
}

export function signedHeaders(secret: string, id: string, body: Buffer | string, at: Date = new Date()): Record<string, string> {
  const seconds = Math.floor(at.getTime() / 1000);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(seconds),
    'webhook-signature': `v1,${hmac(secret, id, seconds, body).toString('base64')}`,
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
 * comparison, and refuses timestamps outside the tolerance window (replays).
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
  for (const secret of secrets) {
    const expected = hmac(secret, message.id, seconds, message.body);
    if (presented.some((p) => p.length === expected.length && timingSafeEqual(p, expected))) return undefined;
  }
  return { problem: 'mismatch', header: 'webhook-signature' };
}
