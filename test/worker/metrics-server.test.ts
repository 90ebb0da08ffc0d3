import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NativeConnection, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../config/config';
import { eventually } from '../../dev/http';
import { createLogger } from '../../lib/logger';
import { createWorkerMetrics } from '../../lib/metrics';
import { freeLoopbackPort, startWorkerMetricsServer, type WorkerMetricsServer } from '../../worker/metrics-server';
import { installSdkLogger } from '../../worker/sdk-logger';
import { sampleValue } from '../helpers/prometheus-text';

const coreText = '# HELP temporal_worker_task_slots_available Task slots available\n# TYPE temporal_worker_task_slots_available gauge\ntemporal_worker_task_slots_available{worker_type="ActivityWorker"} 100\n';

/** A stand-in for Core's exporter: a real HTTP server answering /metrics with `coreText`, or failing. */
async function fakeCore(status = 200): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    res.writeHead(req.url === '/metrics' ? status : 404, { 'content-type': 'text/plain' });
    res.end(status === 200 ? coreText : 'no');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`, server };
}

describe("a worker process's metrics server", () => {
  const closers: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const close of closers) await close();
  });
  const start = async (options: Partial<Parameters<typeof startWorkerMetricsServer>[0]> = {}) => {
    const metrics = createWorkerMetrics();
    const server = await startWorkerMetricsServer({ registry: metrics.registry, host: '127.0.0.1', port: 0, ...options });
    closers.push(server.close);
    return { metrics, server };
  };

  it("serves its registry followed by Core's metrics, on a port of its own when given 0", async () => {
    const core = await fakeCore();
    closers.push(() => new Promise((resolve) => core.server.close(resolve)));
    const { metrics, server } = await start({ coreMetricsUrl: core.url });
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/metrics`);
    metrics.taskOpened('kemnaker');
    metrics.taskOpenFailed('kemnaker', 'unavailable');
    metrics.runStarted();
    const res = await fetch(server.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await res.text();
    expect(sampleValue(text, 'sinergi_tasks_opened_total', { agency: 'kemnaker' })).toBe(1);
    expect(sampleValue(text, 'sinergi_task_open_failures_total', { agency: 'kemnaker', reason: 'unavailable' })).toBe(1);
    expect(sampleValue(text, 'sinergi_runs_started_total', { origin: 'rollout' })).toBe(1);
    expect(sampleValue(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(sampleValue(text, 'temporal_worker_task_slots_available', { worker_type: 'ActivityWorker' })).toBe(100);
    // Ours first, then Core's as it gave it.
    expect(text.endsWith(coreText)).toBe(true);
  });

  it("still answers with its own part when Core's exporter fails or is not there, saying so in a comment", async () => {
    const failing = await fakeCore(500);
    closers.push(() => new Promise((resolve) => failing.server.close(resolve)));
    const withFailing = await start({ coreMetricsUrl: failing.url });
    const text = await (await fetch(withFailing.server.url)).text();
    expect(text).toContain('# HELP sinergi_tasks_opened_total');
    expect(text).toContain('# Temporal SDK Core metrics unavailable: its exporter answered 500');

    const gone = await start({ coreMetricsUrl: `http://127.0.0.1:${await freeLoopbackPort()}/metrics` });
    const res = await fetch(gone.server.url);
    expect(res.status).toBe(200);
    const goneText = await res.text();
    expect(goneText).toContain('# HELP sinergi_tasks_opened_total');
    expect(goneText).toMatch(/^# Temporal SDK Core metrics unavailable: .+$/m);
  });

  it('asks for the metrics token when one is set, and serves nothing but /metrics', async () => {
    const token = 'metrics-token-for-the-scraper-01';
    const { server } = await start({ token });
    expect((await fetch(server.url)).status).toBe(401);
    expect((await fetch(server.url, { headers: { authorization: 'Bearer wrong-token-wrong-token' } })).status).toBe(401);
    expect((await fetch(server.url, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    expect((await fetch(server.url.replace('/metrics', '/'))).status).toBe(404);
    expect((await fetch(server.url, { method: 'POST', headers: { authorization: `Bearer ${token}` } })).status).toBe(405);
  });

  it('refuses to start on a port already taken, naming the setting', async () => {
    const { server } = await start();
    await expect(startWorkerMetricsServer({ registry: createWorkerMetrics().registry, host: '127.0.0.1', port: server.port })).rejects.toThrow(/WORKER_METRICS_PORT.*EADDRINUSE/);
  });
});

describe('the metrics settings', () => {
  it('serve a worker on 127.0.0.1:9464 with no token by default, take 0 for a free port, and refuse a short token', () => {
    const defaults = loadConfig({});
    expect(defaults.worker).toMatchObject({ metricsHost: '127.0.0.1', metricsPort: 9464 });
    expect(defaults.metrics.token).toBeUndefined();
    expect(loadConfig({ WORKER_METRICS_PORT: '0' }).worker.metricsPort).toBe(0);
    // docker-compose passes an unset variable through as an empty string.
    expect(loadConfig({ METRICS_TOKEN: '' }).metrics.token).toBeUndefined();
    expect(loadConfig({ METRICS_TOKEN: 'metrics-token-for-the-scraper-01' }).metrics.token).toBe('metrics-token-for-the-scraper-01');
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN: must be at least 16 characters/);
    expect(() => loadConfig({ WORKER_METRICS_PORT: '70000' })).toThrow(/WORKER_METRICS_PORT/);
  });
});

describe("the Temporal SDK Core's exporter, as worker/main.ts installs it", () => {
  let connection: NativeConnection;
  let worker: Worker;
  let running: Promise<void>;
  let metricsServer: WorkerMetricsServer;

  beforeAll(async () => {
    // This file's process has no other Temporal runtime: install it as a worker process does.
    const corePort = await freeLoopbackPort();
    installSdkLogger(createLogger('silent', 'temporal-sdk'), 'error', { bindAddress: `127.0.0.1:${corePort}` });
    metricsServer = await startWorkerMetricsServer({ registry: createWorkerMetrics().registry, host: '127.0.0.1', port: 0, coreMetricsUrl: `http://127.0.0.1:${corePort}/metrics` });
    connection = await NativeConnection.connect({ address: inject('temporalAddress') });
    worker = await Worker.create({ connection, taskQueue: `metrics-${randomUUID()}`, activities: { noop: async () => undefined } });
    running = worker.run();
  });
  afterAll(async () => {
    if (worker?.getState() === 'RUNNING') worker.shutdown();
    await running;
    await connection?.close();
    await metricsServer?.close();
  });

  it("appends Core's worker metrics to the process's own", async () => {
    const text = await eventually(async () => {
      const body = await (await fetch(metricsServer.url)).text();
      return /^temporal_\w+\{[^}]*task_queue="metrics-/m.test(body) ? body : undefined;
    }, 30_000, "Core's worker metrics");
    expect(text).toContain('# HELP sinergi_tasks_opened_total');
    expect(text).not.toContain('Temporal SDK Core metrics unavailable');
  });
});
