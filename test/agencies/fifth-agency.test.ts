import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApplicationFailure } from '@temporalio/common';
import express from 'express';
import { z } from 'zod';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAgencyAdapter } from '../../activities/adapters/agency-adapter';
import { defineAgency, defineStep } from '../../agencies/agency-definition';
import { agencyEnvKeys } from '../../config/config';
import { defaultBehaviour } from '../../dev/simulators/behaviour';
import { createMinistrySimulator } from '../../dev/simulators/ministry-simulator';
import { newSecret } from '../../dev/stack-credentials';
import { eventually } from '../../dev/http';
import { FamilyCardNumberSchema } from '../../domain/household';
import { graduationPlanV1 } from '../../domain/plans/graduation';
import { taskResultSchemas } from '../../domain/task-outcome';
import { WebhookEventSchema, type WebhookEvent } from '../../domain/webhook-event';
import { createLogger } from '../../lib/logger';
import { taskRequest } from '../helpers/task-requests';

/**
 * A fifth agency written as agencies/<name>.ts would be: BAZNAS, the national zakat board,
 * paying zakat-funded aid. Nothing else is written for it: the generic adapter and the generic
 * simulator below are the ones every agency gets.
 */
const accepted = (reference: string) => ({ status: 200, body: { kodeTransaksi: reference, status: 'DITERIMA' } });
const baznas = defineAgency({
  name: 'baznas',
  credentials: { APP_ID: 'sinergi', APP_SECRET: 'dev-baznas-secret' },
  authHeaders: (c) => ({ 'x-app-id': c.APP_ID, 'x-app-secret': c.APP_SECRET }),
  simulator: { port: 9105, referencePrefix: 'ZKT' },
  steps: {
    'aid-disbursement': defineStep({
      parameters: z.object({ amount: z.coerce.number().int().positive() }),
      request: {
        method: 'POST',
        path: '/v1/mustahik/bantuan',
        schema: z.object({ nomorReferensi: z.string().min(1), noKk: FamilyCardNumberSchema, nominal: z.number().int().positive() }),
        body: ({ taskId, household }, p) => ({ nomorReferensi: taskId, noKk: household.familyCardNumber, nominal: p.amount }),
      },
      answer: {
        accepted: z.object({ kodeTransaksi: z.string().min(1) }),
        reference: (a) => a.kodeTransaksi,
        refusalReason: (body) => z.object({ alasan: z.string() }).safeParse(body).data?.alasan,
      },
      simulator: {
        taskKey: ({ body }) => body.nomorReferensi,
        householdId: (body) => body.noKk,
        result: (body) => ({ amount: body.nominal, transferReference: 'ZKT-TRF-1' }),
        answers: {
          opened: accepted,
          existing: accepted,
          unavailable: () => ({ status: 503, body: { alasan: 'sibuk' } }),
          refused: (reason) => ({ status: 422, body: { alasan: reason } }),
        },
      },
    }),
  },
  cancel: { method: 'DELETE', path: '/v1/mustahik/bantuan/:taskId', body: (alasan) => ({ alasan }) },
});

const signal = new AbortController().signal;
const webhooks: { agency: string; event: WebhookEvent }[] = [];
const endpoint = { url: '', credentials: { APP_ID: 'sinergi-test', APP_SECRET: 'test-baznas-secret' }, requestSecret: newSecret() };
let simulator: ReturnType<typeof createMinistrySimulator>;
const servers: Server[] = [];
const listen = (app: express.Express) =>
  new Promise<string>((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
    servers.push(server);
  });
// A fresh household each time, so behaviour set for one test touches no other.
const request = () => taskRequest(graduationPlanV1.steps.find((s) => s.kind === 'aid-disbursement')!, 'fifth-agency');
const simTask = (taskId: string) => simulator.control.tasks().find((t) => t.taskId === taskId);
const adapter = () => createAgencyAdapter(baznas, endpoint);

beforeAll(async () => {
  const receiver = express().use(express.json());
  receiver.post('/v1/webhooks/:agency', (req, res) => {
    webhooks.push({ agency: String(req.params.agency), event: WebhookEventSchema.parse(req.body) });
    res.json({ ok: true });
  });
  simulator = createMinistrySimulator({
    definition: baznas,
    endpoint,
    webhookBaseUrl: await listen(receiver),
    webhookSecret: newSecret(),
    behaviour: defaultBehaviour(20),
    logger: createLogger('silent', 'simulators'),
  });
  endpoint.url = await listen(simulator.app);
});

beforeEach(() => simulator.control.setBehaviour({ failRequests: 0, rejectHouseholds: {}, silent: false }));

afterAll(async () => {
  simulator?.stop();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

describe('a fifth agency defined with defineAgency alone', () => {
  it('gets its configuration keys from its name and credentials', () => {
    expect(agencyEnvKeys(baznas)).toEqual({
      url: 'BAZNAS_URL',
      credentials: { APP_ID: 'BAZNAS_APP_ID', APP_SECRET: 'BAZNAS_APP_SECRET' },
      webhookSecrets: 'BAZNAS_WEBHOOK_SECRETS',
      requestSecret: 'BAZNAS_REQUEST_SECRET',
      simulatorPort: 'SIM_BAZNAS_PORT',
    });
  });

  it('opens a task once at its simulator, however often the request is repeated, and is told the outcome by webhook', async () => {
    const task = request();
    const first = await adapter().openTask(task, signal);
    const again = await adapter().openTask(task, signal);
    expect(first.agencyReference).toMatch(/^ZKT-/);
    expect(again).toEqual(first);
    expect(simTask(task.taskId)).toMatchObject({ requests: 2, opened: 1, householdId: task.household.familyCardNumber });
    const webhook = await eventually(async () => webhooks.find((w) => w.event.data.taskId === task.taskId), 10_000);
    expect(webhook.agency).toBe('baznas');
    expect(webhook.event.type).toBe('task.completed');
    if (webhook.event.type === 'task.completed') expect(taskResultSchemas['aid-disbursement'].parse(webhook.event.data.result)).toEqual({ amount: 750_000, transferReference: 'ZKT-TRF-1' });
  });

  it("turns the agency's refusal into a final AgencyRejected with its reason", async () => {
    const task = request();
    simulator.control.setBehaviour({ rejectHouseholds: { [task.household.familyCardNumber]: { mode: 'at-request', times: 0 } } });
    const failure = await adapter().openTask(task, signal).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'AgencyRejected', nonRetryable: true, message: 'household not eligible in the ministry register' });
    expect(simTask(task.taskId)).toBeUndefined();
  });

  it('withdraws an opened task (never reported then), and treats an unknown one as nothing to withdraw', async () => {
    const task = request();
    simulator.control.setBehaviour({ silent: true });
    await adapter().openTask(task, signal);
    await adapter().cancelTask(task, 'reassigned', signal);
    expect(simTask(task.taskId)?.cancelledAt).toBeTruthy();
    await expect(adapter().cancelTask(request(), 'never opened', signal)).resolves.toBeUndefined();
  });

  it('is refused by its simulator with credentials other than its own', async () => {
    const wrong = createAgencyAdapter(baznas, { ...endpoint, credentials: { ...endpoint.credentials, APP_SECRET: 'wrong' } });
    await expect(wrong.openTask(request(), signal)).rejects.toMatchObject({ type: 'AgencyUnavailable', message: 'baznas answered 401' });
  });
});
