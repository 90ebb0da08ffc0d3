import { Client, Connection } from '@temporalio/client';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { createLogger } from '../../lib/logger';
import { apiKeyOf, testCredentialStore, testWebhookSecrets } from '../../dev/stack-credentials';

describe('rate limits', () => {
  // Nothing here reaches Temporal: the limits act before any route does.
  const connection = Connection.lazy({ address: '127.0.0.1:9' });
  const app = createApp({
    client: new Client({ connection }),
    namespace: 'default',
    taskQueue: 'unused',
    dataDir: 'unused',
    logger: createLogger('silent', 'test'),
    webhooks: { secrets: testWebhookSecrets(), toleranceSeconds: 300 },
    credentials: testCredentialStore(),
    rateLimits: { apiPerMinute: 3, webhooksPerMinute: 2 },
  });
  afterAll(() => connection.close());

  it('answers 429 with Retry-After once a caller passes its limit, counting each caller apart', async () => {
    const as = (caller: 'viewer' | 'manager') => request(app).get('/v1/nowhere').set('authorization', `Bearer ${apiKeyOf(caller)}`);
    for (let i = 0; i < 3; i++) expect((await as('viewer')).status).toBe(404);
    const limited = await as('viewer');
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('60');
    expect((await as('manager')).status).toBe(404);
  });

  it('limits webhooks per agency', async () => {
    const post = (agency: string) => request(app).post(`/v1/webhooks/${agency}`).send({});
    expect((await post('kemensos')).status).toBe(401);
    expect((await post('kemensos')).status).toBe(401);
    expect((await post('kemensos')).status).toBe(429);
    expect((await post('pemda')).status).toBe(401);
  });
});
