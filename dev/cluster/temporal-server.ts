import { spawn } from 'node:child_process';
import path from 'node:path';
import { temporalAnswers } from '../temporal-dev-server';
import { prefixOutput, stopChild, type Launched } from '../supervisor';
import { clusterTools, repoRoot } from './cluster-tools';
import type { TemporalServerPorts } from './cluster-ports';

/** Where Temporal keeps its databases, and who it is there. */
export interface PostgresEndpoint {
  host: string;
  port: number;
  user: string;
  password: string;
}

export type OnLine = (name: string, line: string) => void;

export const postgresEndpointOf = (url: string): PostgresEndpoint => {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port || 5432), user: decodeURIComponent(u.username), password: decodeURIComponent(u.password) };
};

/** The CLI and the sql tool on PATH under the names the admin-tools image gives them. */
const toolsPath = () => `${path.dirname(clusterTools.cli)}${path.delimiter}${process.env.PATH ?? ''}`;

/**
 * Creates or upgrades Temporal's two databases (and the records store's `sinergi`) with
 * deploy/temporal/setup-schema.sh: docker-compose.yml's temporal-schema job, idempotent.
 */
export async function setUpTemporalSchema(postgres: PostgresEndpoint, onLine: OnLine): Promise<void> {
  await runScript('temporal-schema', 'deploy/temporal/setup-schema.sh', {
    SQL_PLUGIN: 'postgres12',
    SQL_HOST: postgres.host,
    SQL_PORT: String(postgres.port),
    SQL_USER: postgres.user,
    SQL_PASSWORD: postgres.password,
    TEMPORAL_SCHEMA_DIR: clusterTools.schema,
  }, onLine);
}

/** Creates the namespace unless it exists, with deploy/temporal/create-namespace.sh: the temporal-namespace job. */
export async function createNamespace(address: string, namespace: string, retention: string, onLine: OnLine): Promise<void> {
  await runScript('temporal-namespace', 'deploy/temporal/create-namespace.sh', { TEMPORAL_ADDRESS: address, NAMESPACE: namespace, RETENTION: retention }, onLine);
}

export interface TemporalServerOptions {
  postgres: PostgresEndpoint;
  ports: TemporalServerPorts;
  /** The server's log level (debug, info, warn, error). */
  logLevel: string;
  onLine: OnLine;
  readyTimeoutMs?: number;
}

/**
 * Starts the Temporal server (the go-installed v1.29.1) on deploy/temporal/config/cluster.yaml,
 * with the environment the temporalio/server image reads, and waits until its frontend answers.
 */
export async function launchTemporalServer(options: TemporalServerOptions): Promise<Launched> {
  const { postgres, ports } = options;
  const env = {
    PATH: process.env.PATH ?? '',
    LOG_LEVEL: options.logLevel,
    DB: 'postgres12',
    POSTGRES_SEEDS: postgres.host,
    DB_PORT: String(postgres.port),
    POSTGRES_USER: postgres.user,
    POSTGRES_PWD: postgres.password,
    BIND_ON_IP: '127.0.0.1',
    TEMPORAL_BROADCAST_ADDRESS: '127.0.0.1',
    DYNAMIC_CONFIG_FILE_PATH: path.join(repoRoot, 'deploy', 'temporal', 'dynamicconfig.yaml'),
    FRONTEND_GRPC_PORT: String(ports.frontend),
    FRONTEND_HTTP_PORT: String(ports.frontendHttp),
    FRONTEND_MEMBERSHIP_PORT: String(ports.frontendMembership),
    HISTORY_GRPC_PORT: String(ports.history),
    HISTORY_MEMBERSHIP_PORT: String(ports.historyMembership),
    MATCHING_GRPC_PORT: String(ports.matching),
    MATCHING_MEMBERSHIP_PORT: String(ports.matchingMembership),
    WORKER_GRPC_PORT: String(ports.worker),
    WORKER_MEMBERSHIP_PORT: String(ports.workerMembership),
  };
  const child = spawn(clusterTools.server, ['--root', repoRoot, '--config', 'deploy/temporal/config', '--env', 'cluster', '--allow-no-auth', 'start'], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Stopped in order by the launcher, not by a Ctrl-C reaching the whole terminal's group.
    detached: true,
  });
  const recent: string[] = [];
  prefixOutput(child, 'temporal', (name, line) => {
    recent.push(line);
    if (recent.length > 30) recent.shift();
    options.onLine(name, line);
  });
  // The server drains its connections on SIGTERM: give it time before a SIGKILL.
  const launched: Launched = { process: child, stop: () => stopChild(child, 30_000) };
  const address = `127.0.0.1:${ports.frontend}`;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 120_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the Temporal server exited (${child.signalCode ?? child.exitCode}) before answering on ${address}:\n${recent.join('\n')}`);
    }
    if (await temporalAnswers(address)) return launched;
    if (Date.now() > deadline) {
      await launched.stop();
      throw new Error(`the Temporal server did not answer on ${address} in time:\n${recent.join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Runs one of deploy/temporal's job scripts with `sh`, as the compose job would; rejects with its output on failure. */
function runScript(name: string, script: string, env: Record<string, string>, onLine: OnLine): Promise<void> {
  const child = spawn('sh', [path.join(repoRoot, script)], { cwd: repoRoot, env: { PATH: toolsPath(), HOME: process.env.HOME ?? '/tmp', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  prefixOutput(child, name, (n, line) => {
    output.push(line);
    // The tools' own log lines (timestamp, level, message: every statement they run) only show in a failure.
    if (!/^\d{4}-\d\d-\d\dT\S+\s+\S*(DEBUG|INFO)/.test(line)) onLine(n, line);
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    // 'close': after the output has been read to its end, so a failure shows all of it.
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`${script} failed (exit ${code}):\n${output.slice(-20).join('\n')}`))));
  });
}
