import request from 'supertest';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { offlineApp } from '../../dev/offline-app';
import { startStack, type Stack } from '../../dev/stack';
import type { Agency } from '../../domain/agency';
import { httpJson } from '../../dev/http';
import { signedHeaders } from '../../lib/standard-webhooks';
import { cohortHousehold, importCohort } from '../helpers/cohorts';
import { makeHousehold, uniqueRolloutId } from '../helpers/households';
import { sampleValue, samplesOf } from '../helpers/prometheus-text';
import { ended, runIdFor, startRun, stepIs, waitForState } from '../helpers/runs';

const now = () => new Date().toISOString();
const stuck = [
  { agency: 'kemensos', regency: '35.09', count: 2 },
  { agency: null, regency: '35.09', count: 1 },
  { agency: 'pemda', regency: '35.07', count: 4 },
];

describe('GET /metrics on a stack running households', () => {
  let stack: Stack;
  const households = { api: makeHousehold(), cancelled: makeHousehold(), cohort: [cohortHousehold(), cohortHousehold()] };
  const rolloutId = uniqueRolloutId('metrics-rollout');
  let apiText: string;
  let contentType: string | null;
  let workerText: string;

  /** Kemensos is silent: the test reports each aid task itself, so its webhooks are counted exactly. */
  const reportAid = async (runId: string, webhookId: string, times = 1) => {
    const { steps } = await waitForState(stack, runId, stepIs('aid', 'open'));
    const body = { type: 'task.completed', timestamp: now(), data: { taskId: steps[0]!.taskId, result: { amount: 750000, transferReference: `TRF-${webhookId}` } } };
    for (let i = 0; i < times; i++) expect((await stack.webhook('kemensos', webhookId, body)).status).toBe(200);
  };

  beforeAll(async () => {
    stack = await startStack({ temporalAddress: inject('temporalAddress'), stuckCounts: async () => stuck });
    await stack.sims.control.kemensos.setBehaviour({ silent: true });
    // One household by POST /v1/runs, two by a rollout: six tasks each (aid, training, micro-capital, three visits).
    const apiRun = await startRun(stack, uniqueRolloutId('metrics'), households.api);
    const rollout = await stack.call('POST', '/v1/rollouts', { rolloutId, cohortId: await importCohort(stack, households.cohort), programId: 'graduation', version: 1, reason: 'uji metrik' });
    expect(rollout.status, JSON.stringify(rollout.body)).toBe(201);
    const cohortRuns = households.cohort.map((h) => runIdFor(rolloutId, h));
    // The first run's outcome is delivered twice, as a ministry retrying would: one accepted, one duplicate.
    await reportAid(apiRun, `msg_metrics_aid_api`, 2);
    for (const [i, runId] of cohortRuns.entries()) await reportAid(runId, `msg_metrics_aid_${i}`);
    for (const runId of [apiRun, ...cohortRuns]) expect((await waitForState(stack, runId, ended, 90_000)).status).toBe('completed');

    // A webhook signed with another agency's secret, and one for an agency that does not exist.
    const raw = JSON.stringify({ type: 'task.failed', timestamp: now(), data: { taskId: 'run:x:000000000000000000000000:aid:1', reason: 'x' } });
    expect((await stack.webhook('kemensos', 'msg_metrics_forged', JSON.parse(raw), { secret: stack.webhookSecrets.kemnaker[0]! })).status).toBe(401);
    expect((await httpJson('POST', `${stack.apiUrl}/v1/webhooks/nowhere`, raw, signedHeaders(stack.webhookSecrets.kemensos[0]!, 'msg_metrics_nowhere', raw))).status).toBe(400);

    // Managers' operations: one applied, one refused (the run has ended), one on no run; a bulk operation started.
    const cancelled = await startRun(stack, uniqueRolloutId('metrics-cancel'), households.cancelled);
    await waitForState(stack, cancelled, stepIs('aid', 'open'));
    const cancel = (runId: string) => stack.call('POST', `/v1/runs/${encodeURIComponent(runId)}/cancel`, { reason: 'uji metrik' }, 'manager');
    expect((await cancel(cancelled)).status).toBe(200);
    expect((await cancel(apiRun)).status).toBe(409);
    expect((await cancel(runIdFor(uniqueRolloutId('nobody'), makeHousehold()))).status).toBe(404);
    const bulk = await stack.call('POST', '/v1/bulk-operations', { filter: { rollout: rolloutId }, op: 'cancel', reason: 'uji metrik massal' }, 'manager');
    expect(bulk.status, JSON.stringify(bulk.body)).toBe(202);

    // Scrapers carry no API key.
    const res = await fetch(`${stack.apiUrl}/metrics`);
    expect(res.status).toBe(200);
    contentType = res.headers.get('content-type');
    apiText = await res.text();
    workerText = await stack.metrics.registry.metrics();
  }, 300_000);
  afterAll(() => stack?.close());

  const webhooks = (agency: Agency | 'unknown', result: string) => sampleValue(apiText, 'sinergi_webhooks_total', { agency, result });

  it('answers in the Prometheus text format, with the process metrics', () => {
    expect(contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(apiText).toContain('# TYPE sinergi_webhooks_total counter');
    expect(sampleValue(apiText, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('counts every webhook by agency and result', () => {
    expect(webhooks('kemensos', 'accepted')).toBe(3);
    expect(webhooks('kemensos', 'duplicate')).toBe(1);
    expect(webhooks('kemensos', 'rejected_signature')).toBe(1);
    // The name in the path is no agency: counted, but never as what was sent.
    expect(webhooks('unknown', 'invalid')).toBe(1);
    expect(apiText).not.toContain('nowhere');
    // The simulators report each task they opened (and may redeliver, so at least).
    expect(webhooks('kemnaker', 'accepted')).toBeGreaterThanOrEqual(3);
    expect(webhooks('kemenkop', 'accepted')).toBeGreaterThanOrEqual(3);
    expect(webhooks('pemda', 'accepted')).toBeGreaterThanOrEqual(9);
  });

  it("counts managers' operations by result, and the runs the API started", () => {
    const operations = (op: string, result: string) => sampleValue(apiText, 'sinergi_operations_total', { op, result });
    expect(operations('cancel', 'applied')).toBe(1);
    expect(operations('cancel', 'refused')).toBe(1);
    expect(operations('cancel', 'not_found')).toBe(1);
    expect(operations('bulk-cancel', 'started')).toBe(1);
    expect(samplesOf(apiText, 'sinergi_operations_total')).toHaveLength(4);
    expect(sampleValue(apiText, 'sinergi_runs_started_total', { origin: 'api' })).toBe(2);
    expect(sampleValue(apiText, 'sinergi_runs_started_total', { origin: 'rollout' })).toBeUndefined();
  });

  it("counts in the workers the tasks opened at each agency, one per step run, and the rollout's starts", () => {
    const opened = (agency: Agency) => sampleValue(workerText, 'sinergi_tasks_opened_total', { agency });
    // Four households reached kemensos (the cancelled one only there), three went all the way.
    expect(opened('kemensos')).toBe(4);
    expect(opened('kemnaker')).toBe(3);
    expect(opened('kemenkop')).toBe(3);
    expect(opened('pemda')).toBe(9);
    expect(samplesOf(workerText, 'sinergi_task_open_failures_total')).toEqual([]);
    expect(sampleValue(workerText, 'sinergi_runs_started_total', { origin: 'rollout' })).toBe(2);
  });

  it('reads the stuck steps at scrape time from the injected counts', () => {
    expect(sampleValue(apiText, 'sinergi_stuck_steps', { agency: 'kemensos', regency: '35.09' })).toBe(2);
    expect(sampleValue(apiText, 'sinergi_stuck_steps', { agency: 'none', regency: '35.09' })).toBe(1);
    expect(sampleValue(apiText, 'sinergi_stuck_steps', { agency: 'pemda', regency: '35.07' })).toBe(4);
    expect(samplesOf(apiText, 'sinergi_stuck_steps')).toHaveLength(3);
  });

  it('names no household or person in any label', () => {
    for (const h of [households.api, households.cancelled, ...households.cohort]) {
      for (const value of [h.familyCardNumber, h.headNik, h.headName, stack.householdKeyOf(h.familyCardNumber)]) {
        expect(apiText).not.toContain(value);
        expect(workerText).not.toContain(value);
      }
    }
  });
});

describe('GET /metrics without Temporal', () => {
  const apps: { close(): Promise<unknown> }[] = [];
  const app = (deps: Parameters<typeof offlineApp>[0] = {}) => {
    const built = offlineApp(deps);
    apps.push(built);
    return built.app;
  };
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close()));
  });

  it('is restricted to a bearer token when METRICS_TOKEN is set, and open without it', async () => {
    const token = 'metrics-token-for-the-scraper-01';
    const guarded = app({ metrics: { token } });
    const refused = await request(guarded).get('/metrics');
    expect(refused.status).toBe(401);
    expect(refused.body.error).toMatchObject({ code: 'unauthenticated', fields: [{ field: 'headers.authorization' }] });
    expect((await request(guarded).get('/metrics').set('authorization', 'Bearer not-the-metrics-token-at-all')).status).toBe(401);
    // An API key is not the metrics token.
    expect((await request(guarded).get('/metrics').set('authorization', 'Bearer dev-manager-key')).status).toBe(401);
    const allowed = await request(guarded).get('/metrics').set('authorization', `Bearer ${token}`);
    expect(allowed.status).toBe(200);
    expect(allowed.text).toContain('# HELP sinergi_webhooks_total');
    expect((await request(app()).get('/metrics')).status).toBe(200);
    expect((await request(app()).post('/metrics')).status).toBe(405);
  });

  it('counts into a registry of its own per app', async () => {
    const [one, two] = [app(), app()];
    const raw = '{}';
    const forged = await request(one).post('/v1/webhooks/pemda').set(signedHeaders('whsec_c29tZS1vdGhlci1zZWNyZXQtMDAwMDAwMDAwMDAwMDA=', 'msg_forged', raw)).send(raw);
    expect(forged.status).toBe(401);
    expect(sampleValue((await request(one).get('/metrics')).text, 'sinergi_webhooks_total', { agency: 'pemda', result: 'rejected_signature' })).toBe(1);
    expect(samplesOf((await request(two).get('/metrics')).text, 'sinergi_webhooks_total')).toEqual([]);
  });

  it('labels stuck steps only with agencies and regency codes, and answers without them when they cannot be read', async () => {
    const odd = app({ metrics: { stuckCounts: async () => [{ agency: 'Siti Aminah', regency: '3509014507850003', count: 1 }] } });
    const text = (await request(odd).get('/metrics')).text;
    expect(sampleValue(text, 'sinergi_stuck_steps', { agency: 'unknown', regency: 'unknown' })).toBe(1);
    expect(text).not.toContain('Siti');
    expect(text).not.toContain('3509014507850003');

    const failing = app({
      metrics: {
        stuckCounts: async () => {
          throw new Error('records store down');
        },
      },
    });
    const res = await request(failing).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.text).toContain('# HELP sinergi_stuck_steps');
    expect(samplesOf(res.text, 'sinergi_stuck_steps')).toEqual([]);
    expect(samplesOf((await request(app()).get('/metrics')).text, 'sinergi_stuck_steps')).toEqual([]);
  });
});
