import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdapters } from '../../activities/adapters';
import type { AgencyEndpoints } from '../../config/config';
import { agencies, type Agency } from '../../domain/agency';
import { findSignatureProblem, type SignatureProblem } from '../../signing/standard-webhooks';
import { taskResultSchemas } from '../../domain/task-outcome';
import { WebhookEventSchema } from '../../domain/webhook-event';
import { graduationPlan } from '../../domain/plans/graduation';
import { startSimulators } from '../../simulators/start-simulators';
import { eventually } from '../helpers/http';
import { taskRequest } from '../helpers/task-requests';
import { testEndpoints, testWebhookSecrets } from '../helpers/test-credentials';

interface Received {
  id: string | undefined;
  timestamp: string | undefined;
  body: unknown;
  signature: SignatureProblem | undefined;
}

/** The simulators deliver webhooks as a ministry would: a valid body, retried with the same id. */
describe('simulated ministry webhooks', () => {
  const received: Received[] = [];
  let refuseNext = 0;
  let receiver: Server;
  let sims: Awaited<ReturnType<typeof startSimulators>>;
  const endpoints: AgencyEndpoints = testEndpoints();
  const webhookSecrets = testWebhookSecrets();

  beforeAll(async () => {
    const app = express().use(express.json());
    app.post('/v1/webhooks/:agency', (req, res) => {
      const signature = findSignatureProblem(
        { id: req.get('webhook-id'), timestamp: req.get('webhook-timestamp'), signature: req.get('webhook-signature'), body: JSON.stringify(req.body) },
        webhookSecrets[req.params.agency as Agency],
        300,
      );
      received.push({ id: req.get('webhook-id'), timestamp: req.get('webhook-timestamp'), body: req.body, signature });
      if (refuseNext > 0) {
        refuseNext -= 1;
        res.status(503).end();
      } else res.json({ ok: true });
    });
    receiver = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    sims = await startSimulators({
      host: '127.0.0.1',
      ports: { kemensos: 0, kemnaker: 0, kemenkop: 0, pemda: 0 },
      webhookBaseUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`,
      endpoints,
      webhookSecrets,
      delayMs: 10,
      logLevel: 'silent',
    });
    for (const a of agencies) endpoints[a].url = sims.urls[a];
  });
  afterAll(async () => {
    await sims?.close();
    receiver?.closeAllConnections();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  it.each(graduationPlan.steps.filter((s) => s.key !== 'follow-up-1' && s.key !== 'follow-up-2'))(
    'reports a completed $kind task with the result its kind needs',
    async (step) => {
      const request = taskRequest(step, 'hooks');
      const { taskId } = request;
      await createAdapters(endpoints)[step.agency].openTask(request, new AbortController().signal);
      const delivery = await eventually(async () => received.find((r) => (r.body as { data?: { taskId?: string } }).data?.taskId === taskId));
      const event = WebhookEventSchema.parse(delivery.body);
      expect(event.type).toBe('task.completed');
      if (event.type !== 'task.completed') return;
      expect(taskResultSchemas[step.kind].safeParse(event.data.result).success).toBe(true);
      expect(delivery.id).toMatch(/^msg_/);
      expect(delivery.signature).toBeUndefined();
      expect(Number(delivery.timestamp)).toBeGreaterThan(1_700_000_000);
    },
  );

  it('redelivers with the same webhook-id after 5xx answers, then records the final status', async () => {
    refuseNext = 2;
    const request = taskRequest(graduationPlan.steps[0]!, 'hooks');
    const { taskId } = request;
    await createAdapters(endpoints).kemensos.openTask(request, new AbortController().signal);
    const task = await eventually(async () => sims.control.kemensos.tasks().find((t) => t.taskId === taskId && t.webhookStatus), 15_000);
    const deliveries = received.filter((r) => (r.body as { data?: { taskId?: string } }).data?.taskId === taskId);
    expect(deliveries).toHaveLength(3);
    expect(new Set(deliveries.map((d) => d.id)).size).toBe(1);
    expect(deliveries.map((d) => d.signature)).toEqual([undefined, undefined, undefined]);
    expect(task).toMatchObject({ outcome: 'completed', webhookStatus: 200 });
  });
});
