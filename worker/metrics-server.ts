import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { METRICS_CONTENT_TYPE, metricsScrapeAllowed } from '../lib/metrics';

export interface WorkerMetricsServerOptions {
  /** The worker process's registry (lib/metrics.ts). */
  registry: Registry;
  host: string;
  /** 0: a free port, given back as `port`. */
  port: number;
  /** The Temporal SDK Core's own Prometheus endpoint, appended to ours; ours alone when absent. */
  coreMetricsUrl?: string;
  /** METRICS_TOKEN: a scrape must send it as a bearer token; open to any scraper when absent. */
  token?: string;
}

/** A scrape answers without Core's part rather than wait longer for it (Prometheus's own timeout is 10 s). */
const coreTimeoutMs = 2_000;

/**
 * The worker process's GET /metrics: its prom-client registry, then Core's metrics (workers,
 * pollers, task slots, latencies) fetched from Core's exporter on its private loopback port, so
 * Prometheus scrapes one target per worker process.
 */
export async function startWorkerMetricsServer(options: WorkerMetricsServerOptions) {
  const server = createServer((req, res) => {
    answer(options, req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('metrics unavailable\n');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(new Error(`cannot serve worker metrics on ${options.host}:${options.port} (WORKER_METRICS_HOST, WORKER_METRICS_PORT): ${err.code ?? err.message}`)));
    server.listen(options.port, options.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
export type WorkerMetricsServer = Awaited<ReturnType<typeof startWorkerMetricsServer>>;

async function answer(options: WorkerMetricsServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const text = (status: number, body: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
    res.end(body);
  };
  if (new URL(req.url ?? '/', 'http://worker').pathname !== '/metrics') return text(404, 'not found: the metrics are at /metrics\n');
  if (req.method !== 'GET' && req.method !== 'HEAD') return text(405, 'GET only\n', { allow: 'GET, HEAD' });
  if (!metricsScrapeAllowed(req.headers.authorization, options.token)) return text(401, 'the metrics need the metrics bearer token\n', { 'www-authenticate': 'Bearer' });
  const ours = await options.registry.metrics();
  const core = options.coreMetricsUrl ? await coreMetrics(options.coreMetricsUrl) : '';
  res.writeHead(200, { 'content-type': METRICS_CONTENT_TYPE });
  res.end(`${ours.endsWith('\n') ? ours : `${ours}\n`}${core}`);
}

/** Core's exposition text, or a comment saying why it is missing (the scrape still has ours). */
async function coreMetrics(url: string): Promise<string> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(coreTimeoutMs) });
    if (!res.ok) return `# Temporal SDK Core metrics unavailable: its exporter answered ${res.status}\n`;
    const body = await res.text();
    return body.endsWith('\n') || body === '' ? body : `${body}\n`;
  } catch (err) {
    const reason = err instanceof Error ? `${err.message}${err.cause instanceof Error ? `: ${err.cause.message}` : ''}` : String(err);
    return `# Temporal SDK Core metrics unavailable: ${reason.replace(/\s+/g, ' ')}\n`;
  }
}

/** A loopback port free now, for Core's exporter, which cannot report a port it chose itself. */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
