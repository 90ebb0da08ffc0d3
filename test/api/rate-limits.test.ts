import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { apiKeyOf } from '../../dev/stack-credentials';
import { offlineApp } from '../../dev/offline-app';

describe('rate limits', () => {
  // Nothing here reaches Temporal: the limits act before any route does.
  const { app, close } = offlineApp({ rateLimits: { apiPerMinute: 3, webhooksPerMinute: 2, signInsPerMinute: 2 } });
  afterAll(close);

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
