import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApplicationFailure } from '@temporalio/common';
import express from 'express';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TaskRequest } from '../../domain/task-request';
import { createAdapters } from '../../activities/adapters';
import { createAgencyAdapter } from '../../activities/adapters/agency-adapter';
import { kemensos } from '../../agencies/kemensos';
import type { AgencyEndpoints } from '../../config/config';
import { agencies, agencyStepKinds, byAgency, type Agency } from '../../domain/agency';
import { taskIdOf } from '../../domain/ids';
import { graduationPlanV1 } from '../../domain/plans/graduation';
import { taskResultSchemas } from '../../domain/task-outcome';
import { WebhookEventSchema } from '../../domain/webhook-event';
import { findSignatureProblem, signedHeaders, type SignatureProblem } from '../../lib/standard-webhooks';
import { startSimulators, type Simulators } from '../../dev/simulators/start-simulators';
import { eventually, httpJson } from '../../dev/http';
import { makeHousehold } from '../helpers/households';
import { taskRequest } from '../helpers/task-requests';
import { testEndpoints, testWebhookSecrets } from '../../dev/stack-credentials';

interface ReceivedWebhook {
  agency: string;
  id: string | undefined;
  timestamp: string | undefined;
  contentType: string | undefined;
  body: unknown;
  signatureProblem: SignatureProblem | undefined;
}

const stepOf = (agency: Agency, key?: string) => graduationPlanV1.steps.find((s) => s.agency === agency && (!key || s.key === key))!;
const requestFor = (agency: Agency, key?: string) => taskRequest(stepOf(agency, key), 'adapters');
const nextAttempt = (r: TaskRequest): TaskRequest => ({ ...r, attempt: r.attempt + 1, taskId: taskIdOf(r.runId, r.stepKey, r.attempt + 1) });
const signal = new AbortController().signal;
const failureOf = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (err: unknown) => (err instanceof ApplicationFailure ? { type: err.type, nonRetryable: err.nonRetryable, message: err.message } : { type: String(err) }),
  );

const received: ReceivedWebhook[] = [];
/** Task ids whose webhooks the receiver answers 503, and how many times more. */
const refuseWebhooks = new Map<string, number>();
const logLines: string[] = [];
const { headNik, headName } = makeHousehold();
let receiver: Server;
let sims: Simulators;
const endpoints: AgencyEndpoints = testEndpoints();
const webhookSecrets = testWebhookSecrets();

const webhookTaskId = (body: unknown) => WebhookEventSchema.safeParse(body).data?.data.taskId;
const webhooksOf = (taskId: string) => received.filter((r) => webhookTaskId(r.body) === taskId);

beforeAll(async () => {
  const app = express().use(express.json());
  app.post('/v1/webhooks/:agency', (req, res) => {
    received.push({
      agency: String(req.params.agency),
      id: req.get('webhook-id'),
      timestamp: req.get('webhook-timestamp'),
      contentType: req.get('content-type'),
      body: req.body,
      // The sender serialises with JSON.stringify, so re-serialising gives back the signed bytes.
      signatureProblem: findSignatureProblem(
        { id: req.get('webhook-id'), timestamp: req.get('webhook-timestamp'), signature: req.get('webhook-signature'), body: JSON.stringify(req.body) },
        webhookSecrets[req.params.agency as Agency],
        300,
      ),
    });
    const taskId = webhookTaskId(req.body) ?? '';
    const refusals = refuseWebhooks.get(taskId) ?? 0;
    if (refusals > 0) {
      refuseWebhooks.set(taskId, refusals - 1);
      res.status(503).end();
    } else res.json({ ok: true });
  });
  receiver = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  sims = await startSimulators({
    host: '127.0.0.1',
    ports: byAgency(() => 0),
    webhookBaseUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`,
    endpoints,
    webhookSecrets,
    delayMs: 20,
    // Everything the simulators would log, to check that no one is named in it.
    logLevel: 'trace',
    logDestination: { write: (line: string) => void logLines.push(line) },
  });
  for (const a of agencies) endpoints[a].url = sims.urls[a];
});

beforeEach(() => {
  for (const a of agencies) sims.control[a].setBehaviour({ failRequests: 0, rejectHouseholds: {}, rejectShare: 0, silent: false });
});

afterAll(async () => {
  await sims?.close();
  receiver?.closeAllConnections();
  await new Promise((resolve) => receiver?.close(resolve));
});

/** Every agency and step kind it can do: each adapter against its real simulator, each agency's own API shape, over real HTTP. */
const providers = agencies.flatMap((agency) => agencyStepKinds[agency].map((kind) => [agency, kind] as const));

describe.each(providers)('%s adapter and simulator, %s', (agency, kind) => {
  const adapter = () => createAdapters(endpoints)[agency];
  // The graduation plan's step of this kind, given to this agency (as a plan or a reassignment would).
  const providerRequest = () => ({ ...taskRequest(graduationPlanV1.steps.find((s) => s.kind === kind)!, 'adapters'), agency });
  const simTask = (taskId: string) => sims.control[agency].tasks().find((t) => t.taskId === taskId);

  it('opens a task once, however often the request is repeated', async () => {
    const request = providerRequest();
    const first = await adapter().openTask(request, signal);
    const again = await adapter().openTask(request, signal);
    expect(first.agencyReference).toMatch(/^[A-Z]{3}-/);
    expect(again.agencyReference).toBe(first.agencyReference);
    expect(simTask(request.taskId)).toMatchObject({ requests: 2, opened: 1, householdId: request.household.familyCardNumber });
  });

  it('fails retryably (AgencyUnavailable) while the agency answers 503, then opens the task once', async () => {
    const request = providerRequest();
    sims.control[agency].setBehaviour({ failRequests: 2 });
    const unavailable = { type: 'AgencyUnavailable', nonRetryable: false, message: `${agency} answered 503` };
    expect(await failureOf(adapter().openTask(request, signal))).toEqual(unavailable);
    expect(await failureOf(adapter().openTask(request, signal))).toEqual(unavailable);
    await adapter().openTask(request, signal);
    expect(simTask(request.taskId)).toMatchObject({ requests: 3, opened: 1 });
    expect(sims.control[agency].behaviour().failRequests).toBe(0);
  });

  it("turns the agency's refusal into a final AgencyRejected with its reason, and repeats it for the same task", async () => {
    const request = providerRequest();
    sims.control[agency].setBehaviour({ rejectHouseholds: { [request.household.familyCardNumber]: { mode: 'at-request', times: 1 } } });
    const rejected = { type: 'AgencyRejected', nonRetryable: true, message: 'household not eligible in the ministry register' };
    expect(await failureOf(adapter().openTask(request, signal))).toEqual(rejected);
    // The same request gets the same answer; only a new attempt (a new task id) counts against `times`.
    expect(await failureOf(adapter().openTask(request, signal))).toEqual(rejected);
    expect(simTask(request.taskId)).toBeUndefined();
    const retry = nextAttempt(request);
    await adapter().openTask(retry, signal);
    expect(simTask(retry.taskId)).toMatchObject({ requests: 1, opened: 1 });
  });

  it('is refused with wrong credentials (retryable: credentials can be fixed), naming no secret', async () => {
    const wrong = structuredClone(endpoints);
    for (const name of Object.keys(wrong[agency].credentials)) wrong[agency].credentials[name] = `wrong-${name.toLowerCase()}`;
    const request = providerRequest();
    expect(await failureOf(createAdapters(wrong)[agency].openTask(request, signal))).toEqual({
      type: 'AgencyUnavailable',
      nonRetryable: false,
      message: `${agency} answered 401`,
    });
    expect(simTask(request.taskId)).toBeUndefined();
  });

  it('is refused when the request is not signed with the secret the agency knows', async () => {
    const unsigned = structuredClone(endpoints);
    unsigned[agency].requestSecret = 'whsec_b3RoZXItc2VjcmV0LW90aGVyLXNlY3JldC0xMjM=';
    const request = providerRequest();
    expect(await failureOf(createAdapters(unsigned)[agency].openTask(request, signal))).toMatchObject({ type: 'AgencyUnavailable', message: `${agency} answered 401` });
    expect(simTask(request.taskId)).toBeUndefined();
  });

  it('withdraws an opened task at the agency (never reported then), and treats an unknown one as nothing to withdraw', async () => {
    const request = providerRequest();
    sims.control[agency].setBehaviour({ silent: true });
    await adapter().openTask(request, signal);
    await adapter().cancelTask(request, 'superseded by a retry', signal);
    expect(simTask(request.taskId)?.cancelledAt).toBeTruthy();
    await expect(adapter().cancelTask(providerRequest(), 'never opened', signal)).resolves.toBeUndefined();
  });

  it('is unreachable when the agency is down (retryable)', async () => {
    const down = structuredClone(endpoints);
    down[agency].url = 'http://127.0.0.1:9';
    expect(await failureOf(createAdapters(down)[agency].openTask(providerRequest(), signal))).toMatchObject({ type: 'AgencyUnavailable', nonRetryable: false });
  });

  it('reports the completed task once by webhook, with the result its kind needs', async () => {
    const request = providerRequest();
    await adapter().openTask(request, signal);
    const task = await eventually(async () => simTask(request.taskId)?.webhookStatus && simTask(request.taskId), 10_000);
    expect(task).toMatchObject({ outcome: 'completed', webhookStatus: 200, deliveredAt: expect.any(String) });
    const [webhook, ...more] = webhooksOf(request.taskId);
    expect(more).toEqual([]);
    expect(webhook).toMatchObject({ agency, contentType: 'application/json', id: expect.stringMatching(/^msg_[0-9a-f]+$/) });
    expect(webhook!.signatureProblem).toBeUndefined();
    expect(Math.abs(Number(webhook!.timestamp) - Date.now() / 1000)).toBeLessThan(60);
    const event = WebhookEventSchema.parse(webhook!.body);
    expect(event.type).toBe('task.completed');
    if (event.type !== 'task.completed') return;
    expect(() => taskResultSchemas[request.kind].parse(event.data.result)).not.toThrow();
  });

  it('redelivers the webhook with the same webhook-id after two 503 answers, and records the final 200', async () => {
    const request = providerRequest();
    refuseWebhooks.set(request.taskId, 2);
    await adapter().openTask(request, signal);
    await eventually(async () => simTask(request.taskId)?.webhookStatus, 10_000);
    const ids = webhooksOf(request.taskId).map((w) => w.id);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(1);
    expect(webhooksOf(request.taskId).map((w) => w.signatureProblem)).toEqual([undefined, undefined, undefined]);
    expect(simTask(request.taskId)).toMatchObject({ webhookStatus: 200 });
  });

  it('reports a by-webhook rejection as task.rejected with a reason', async () => {
    const request = providerRequest();
    sims.control[agency].setBehaviour({ rejectHouseholds: { [request.household.familyCardNumber]: { mode: 'by-webhook', times: 0 } } });
    await adapter().openTask(request, signal);
    const webhook = await eventually(async () => webhooksOf(request.taskId)[0], 10_000);
    expect(WebhookEventSchema.parse(webhook.body)).toMatchObject({ type: 'task.rejected', data: { taskId: request.taskId, reason: expect.any(String) } });
    expect(simTask(request.taskId)).toMatchObject({ outcome: 'rejected' });
  });

  it('stays silent when told to: the task is open and never reported', async () => {
    const request = providerRequest();
    sims.control[agency].setBehaviour({ silent: true });
    await adapter().openTask(request, signal);
    await new Promise((r) => setTimeout(r, 200));
    expect(webhooksOf(request.taskId)).toEqual([]);
    expect(simTask(request.taskId)).toMatchObject({ opened: 1 });
    expect(simTask(request.taskId)?.outcome).toBeUndefined();
  });
});

describe('adapters and step parameters', () => {
  const unsuitable: Record<Agency, { parameters: TaskRequest['parameters']; names: string }> = {
    kemensos: { parameters: { programme: 'PKH' }, names: 'amount' },
    kemnaker: { parameters: {}, names: 'course' },
    kemenkop: { parameters: { scheme: 'UMi', amount: 'lots' }, names: 'amount' },
    pemda: { parameters: { visit: 4, of: 3 }, names: 'visit' },
  };

  it.each(agencies)('%s fails at once (AgencyBadRequest) on parameters it cannot use, naming them', async (agency) => {
    const request = { ...requestFor(agency), parameters: unsuitable[agency].parameters };
    const failure = await failureOf(createAdapters(endpoints)[agency].openTask(request, signal));
    expect(failure).toMatchObject({ type: 'AgencyBadRequest', nonRetryable: true, message: expect.stringContaining(`${unsuitable[agency].names}:`) });
    expect(sims.control[agency].tasks().some((t) => t.taskId === request.taskId)).toBe(false);
  });

  it('pemda sees the household one step up the ladder on the last visit only', async () => {
    const household = makeHousehold({ welfareStatus: 'extreme_poor' });
    const observed = async (key: string) => {
      const request = taskRequest(stepOf('pemda', key), 'adapters', household);
      await createAdapters(endpoints).pemda.openTask(request, signal);
      const event = WebhookEventSchema.parse((await eventually(async () => webhooksOf(request.taskId)[0], 10_000)).body);
      return event.type === 'task.completed' ? taskResultSchemas['follow-up-visit'].parse(event.data.result).observedWelfareStatus : event.type;
    };
    expect(await observed('follow-up-1')).toBe('extreme_poor');
    expect(await observed('follow-up-3')).toBe('poor');
  });

  it("cuts the household's NIK and name out of an agency's refusal reason", async () => {
    const request = requestFor('kemensos');
    const echoing: typeof fetch = async () =>
      Response.json({ kode: 'TIDAK_LAYAK', alasan: `${request.household.headName} (${request.household.headNik}) sudah menerima` }, { status: 422 });
    const failure = await failureOf(createAgencyAdapter(kemensos, endpoints.kemensos, echoing).openTask(request, signal));
    expect(failure).toEqual({ type: 'AgencyRejected', nonRetryable: true, message: '[redacted] ([redacted]) sudah menerima' });
  });
});

describe('simulator contract and control over HTTP', () => {
  it('answers 400 naming the fields of a bad task request and a missing idempotency header, without echoing them', async () => {
    const request = requestFor('kemensos');
    const raw = JSON.stringify({ id_permintaan: request.taskId, nik_penerima: request.household.headNik, nama_penerima: '', nominal: -1 });
    const headers = { ...kemensos.authHeaders(endpoints.kemensos.credentials), ...signedHeaders(endpoints.kemensos.requestSecret, request.taskId, raw) };
    const res = await httpJson('POST', `${sims.urls.kemensos}/api/v1/penyaluran`, raw, headers);
    expect(res.status).toBe(400);
    expect(res.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(
      ['header x-idempotency-key', 'kode_wilayah', 'nama_penerima', 'no_kk', 'nominal', 'program'].sort(),
    );
    expect(JSON.stringify(res.body)).not.toContain(request.household.headNik);
    expect(sims.control.kemensos.tasks().some((t) => t.taskId === request.taskId)).toBe(false);
  });

  it('answers a malformed JSON body with a 400 that does not quote it', async () => {
    const res = await httpJson('POST', `${sims.urls.pemda}/sipd/kunjungan`, `{"nik": "${headNik}", "nama": "${headName}"`);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'malformed JSON body' });
  });

  it('reads, changes (validated) and resets over /_simulator', async () => {
    const base = sims.urls.kemnaker;
    expect((await httpJson('GET', `${base}/_simulator/healthz`)).body).toEqual({ agency: 'kemnaker', status: 'ok' });
    const bad = await httpJson('PATCH', `${base}/_simulator/behaviour`, { delayMs: -5, rejectHouseholds: { '123': { mode: 'at-request', times: 0 } }, colour: 'red' });
    expect(bad.status).toBe(400);
    expect(bad.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['', 'delayMs', 'rejectHouseholds.123']);
    const patched = await httpJson('PATCH', `${base}/_simulator/behaviour`, { rejectShare: 0.25 });
    expect(patched.body).toMatchObject({ rejectShare: 0.25, delayMs: 20 });
    expect((await httpJson('GET', `${base}/_simulator/behaviour`)).body).toMatchObject({ rejectShare: 0.25 });

    const request = requestFor('kemnaker');
    sims.control.kemnaker.setBehaviour({ silent: true });
    await createAdapters(endpoints).kemnaker.openTask(request, signal);
    const listed = (await httpJson('GET', `${base}/_simulator/tasks`)).body as { taskId: string }[];
    expect(listed.find((t) => t.taskId === request.taskId)).toMatchObject({ householdId: request.household.familyCardNumber, requests: 1, opened: 1 });
    expect((await httpJson('DELETE', `${base}/_simulator/tasks`)).status).toBe(204);
    expect((await httpJson('GET', `${base}/_simulator/tasks`)).body).toEqual([]);
  });
});

describe('simulator logs', () => {
  it('name no household: no NIK, no name, no credential in any line', () => {
    expect(logLines.length).toBeGreaterThan(10);
    const all = logLines.join('');
    for (const secret of [headNik, headName, ...agencies.flatMap((a) => Object.values(endpoints[a].credentials))]) {
      expect(all).not.toContain(secret);
    }
  });
});
