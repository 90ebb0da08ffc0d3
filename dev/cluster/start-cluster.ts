import { spawn } from 'node:child_process';
import { chmod, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { status } from '@grpc/grpc-js';
import { Connection } from '@temporalio/client';
import { loadConfig, payloadKeyRing, householdPseudonymKey } from '../../config/config';
import { agencies, type Agency } from '../../domain/agency';
import { ensureDatabase } from '../../records/records-db';
import { registerSearchAttributes } from '../../temporal/register-search-attributes';
import { startEmbeddedPostgres, type RunningPostgres } from '../embedded-postgres';
import { prefixOutput, stopChild, supervise, waitForReady, type Launched, type Supervised, type SupervisorEvent } from '../supervisor';
import { appEnvironment, rewriteAddresses } from './app-env';
import { checkBuild, checkClusterTools, distEntry, repoRoot } from './cluster-tools';
import type { ClusterPorts } from './cluster-ports';
import { readComposeFile, interpolateAll, type Environment } from './compose-file';
import { createNamespace, launchTemporalServer, postgresEndpointOf, setUpTemporalSchema, type OnLine } from './temporal-server';
import { launchTemporalUi } from './temporal-ui';

export interface ClusterOptions {
  /** What the cluster keeps: PostgreSQL's data (without databaseUrl), the app's DATA_DIR, the UI's config. */
  dir: string;
  ports: ClusterPorts;
  /** Worker processes running the workflows (and every agency's activities unless agencyWorkers > 0). */
  workers: number;
  /** Per agency, this many worker processes running only its activities; the workflow workers then run none. */
  agencyWorkers: number;
  /** The records store's database on a PostgreSQL of your own; Temporal's databases go beside it. */
  databaseUrl?: string;
  /** The user's settings (npm run cluster: its environment): they win over docker-compose.yml's x-sinergi-env. */
  env: Readonly<Record<string, string | undefined>>;
  /** The Temporal server's own log level; warn by default. */
  temporalLogLevel?: string;
  /** Every line any process writes, by process name; the console, prefixed, by default. */
  onLine?: OnLine;
  /** Each death and restart the supervisor saw. */
  onEvent?: (event: SupervisorEvent) => void;
  /** A process kept dying or could not be restarted: the cluster has been stopped. */
  onFatal?: (error: Error) => void;
}

export interface Cluster {
  apiUrl: string;
  temporalAddress: string;
  temporalUiUrl: string;
  namespace: string;
  mailSinkUrl: string;
  simulatorUrls: Record<Agency, string>;
  /** The records store (DATABASE_URL of the api and the workers). */
  databaseUrl: string;
  /** The embedded PostgreSQL, when no databaseUrl was given. */
  embeddedPostgres?: { dir: string; port: number };
  /** The app processes' environment (before each worker's own keys). */
  appEnv: Environment;
  temporal: Supervised;
  temporalUi: Supervised;
  api: Supervised;
  workers: Supervised[];
  /** Every supervised process, in start order. */
  processes: Supervised[];
  /** The supervisor's log of deaths and restarts. */
  events: SupervisorEvent[];
  /** Stops the Temporal server and starts it again on the same databases; resolves once its frontend answers. */
  restartTemporal(): Promise<void>;
  /** Stops everything, the API first and PostgreSQL last. */
  stop(): Promise<void>;
}

const retentionDefault = '30d';

/**
 * The docker-compose.yml topology as processes on one machine: PostgreSQL, Temporal's schema job,
 * the Temporal server, its namespace job, the Temporal UI, the mail sink, the simulators, the
 * workers and the API, each supervised (restarted when it dies) and stopped in order.
 */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  checkClusterTools();
  checkBuild();
  const onLine = options.onLine ?? ((name, line) => console.log(`[${name}] ${line}`));
  const events: SupervisorEvent[] = [];
  const onEvent = (event: SupervisorEvent) => {
    events.push(event);
    options.onEvent?.(event);
  };
  const { ports } = options;
  const dir = path.resolve(options.dir);
  await mkdir(dir, { recursive: true });
  // PostgreSQL runs as the postgres user when this runs as root: it must walk into the directory.
  await chmod(dir, 0o755);
  const compose = readComposeFile();

  const processes: Supervised[] = [];
  let postgres: RunningPostgres | undefined;
  let stopping = false;
  let stopped: Promise<void> | undefined;
  const killAll = () => processes.forEach((p) => p.current.process.kill('SIGKILL'));
  const stop = () => {
    stopped ??= (async () => {
      stopping = true;
      const byName = (prefix: string) => processes.filter((p) => p.name.startsWith(prefix));
      // The API first, so nothing new comes in; the workers together (each drains its activities); Temporal and PostgreSQL last.
      for (const group of [byName('api'), byName('worker'), byName('simulators'), byName('mail-sink'), byName('temporal-ui'), byName('temporal')]) {
        await Promise.all(group.map((p) => p.stop()));
      }
      await postgres?.stop();
      process.removeListener('exit', killAll);
    })();
    return stopped;
  };
  const giveUp = async (code: number) => {
    await stop();
    options.onFatal?.(new Error(`a cluster process kept dying or could not restart (exit ${code}); see its output above`));
  };
  process.once('exit', killAll);

  try {
    let adminUrl: string;
    if (options.databaseUrl) {
      const url = new URL(options.databaseUrl);
      url.pathname = '/postgres';
      adminUrl = url.toString();
    } else {
      const pgDir = path.join(dir, 'postgres');
      onLine('cluster', `starting PostgreSQL (data in ${pgDir}, port ${ports.postgres})`);
      // Its errors only, less those the idempotent set-up and Temporal's conditional writes expect.
      const expected = /already exists|duplicate key value/;
      postgres = await startEmbeddedPostgres({ dir: pgDir, port: ports.postgres, onLog: (line) => /ERROR|FATAL|PANIC/.test(line) && !expected.test(line) && onLine('postgres', line) });
      adminUrl = postgres.url;
    }
    const pg = postgresEndpointOf(adminUrl);
    onLine('cluster', "setting up Temporal's databases (deploy/temporal/setup-schema.sh)");
    await setUpTemporalSchema(pg, onLine);
    const databaseUrl = options.databaseUrl ?? (await ensureDatabase(adminUrl, 'sinergi'));
    if (options.databaseUrl) {
      const name = decodeURIComponent(new URL(options.databaseUrl).pathname.slice(1));
      // Created when missing and the user may; otherwise the API and the workers name the problem.
      await ensureDatabase(adminUrl, name).catch((err: unknown) => onLine('cluster', `could not check that database ${name} exists: ${String(err)}`));
    }

    const appEnv = appEnvironment({ compose, ports, userEnv: options.env, dataDir: path.join(dir, 'sinergi'), databaseUrl });
    // Refused here, before anything runs, if the api or a worker would refuse it.
    const config = loadConfig(appEnv);
    payloadKeyRing(config);
    householdPseudonymKey(config);

    onLine('cluster', `starting the Temporal server (frontend 127.0.0.1:${ports.temporal.frontend})`);
    const launchTemporal = () => launchTemporalServer({ postgres: pg, ports: ports.temporal, logLevel: options.temporalLogLevel ?? 'warn', onLine });
    const temporal = await supervise('temporal', launchTemporal, () => stopping, giveUp, onEvent);
    processes.push(temporal);
    const temporalAddress = `127.0.0.1:${ports.temporal.frontend}`;
    const namespaceJob = interpolateAll(compose.serviceEnv('temporal-namespace'), options.env);
    await createNamespace(temporalAddress, config.temporal.namespace, namespaceJob.RETENTION || retentionDefault, onLine);
    const added = await registerWhenNamespaceKnown(temporalAddress, config.temporal.namespace);
    if (added.length) onLine('cluster', `registered search attributes: ${added.join(', ')}`);

    const uiEnv = {
      ...rewriteAddresses(compose.serviceEnv('temporal-ui'), compose, ports, options.env),
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_DEFAULT_NAMESPACE: config.temporal.namespace,
      TEMPORAL_CORS_ORIGINS: config.temporal.uiOrigins.join(','),
      // The browser decodes payloads through the API's codec endpoint, with the console's session cookie.
      TEMPORAL_CODEC_ENDPOINT: `${config.api.publicBaseUrl}/v1/codec`,
    };
    const temporalUi = await supervise('temporal-ui', () => launchTemporalUi({ dir: path.join(dir, 'temporal-ui'), port: ports.temporalUi, env: uiEnv, onLine }), () => stopping, giveUp, onEvent);
    processes.push(temporalUi);

    const launchNode = (name: string, entry: string, env: Environment = {}) => async (): Promise<Launched> => {
      const child = spawn(process.execPath, [distEntry(entry)], {
        cwd: repoRoot,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...appEnv, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
        // A process group of its own: a Ctrl-C in the terminal reaches the launcher alone, which stops them in order.
        detached: true,
      });
      prefixOutput(child, name, onLine);
      // Room for the activities under way to finish, as docker-compose.yml's stop_grace_period.
      return { process: child, stop: () => stopChild(child, 30_000) };
    };
    const add = async (name: string, entry: string, env?: Environment) => {
      const supervised = await supervise(name, launchNode(name, entry, env), () => stopping, giveUp, onEvent);
      processes.push(supervised);
      return supervised;
    };
    await add('mail-sink', 'dev/mail-sink/main.js');
    await add('simulators', 'dev/simulators/main.js');
    const workers: Supervised[] = [];
    for (const spec of workerSpecs(options.workers, options.agencyWorkers)) {
      // Each worker process serves its /metrics on a port of its own.
      const metricsPort = ports.workerMetrics ? String(ports.workerMetrics + workers.length) : '0';
      workers.push(await add(spec.name, 'worker/main.js', { ...spec.env, WORKER_METRICS_PORT: metricsPort }));
    }
    const api = await add('api', 'api/main.js');
    const apiUrl = `http://127.0.0.1:${ports.api}`;
    await waitForReady(`${apiUrl}/readyz`);

    return {
      apiUrl,
      temporalAddress,
      temporalUiUrl: `http://127.0.0.1:${ports.temporalUi}`,
      namespace: config.temporal.namespace,
      mailSinkUrl: `http://127.0.0.1:${ports.mailSink.http}`,
      simulatorUrls: Object.fromEntries(agencies.map((a) => [a, `http://127.0.0.1:${ports.simulators[a]}`])) as Record<Agency, string>,
      databaseUrl,
      embeddedPostgres: postgres && { dir: path.join(dir, 'postgres'), port: ports.postgres },
      appEnv,
      temporal,
      temporalUi,
      api,
      workers,
      processes,
      events,
      restartTemporal: () => temporal.restart(),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** The worker processes: `workers` for the workflows, then `agencyWorkers` per agency for its activities alone. */
export function workerSpecs(workers: number, agencyWorkers: number): { name: string; env: Environment }[] {
  const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
  return [
    // With workers of their own for the agencies, these run the workflows (and the activities beside them) only.
    ...range(workers).map((i) => ({ name: `worker-${i}`, env: agencyWorkers > 0 ? { WORKER_RUNS_WORKFLOWS: 'true', WORKER_AGENCIES: '' } : ({} as Environment) })),
    ...agencies.flatMap((agency) => range(agencyWorkers).map((i) => ({ name: `worker-${agency}-${i}`, env: { WORKER_RUNS_WORKFLOWS: 'false', WORKER_AGENCIES: agency } }))),
  ];
}

/**
 * Registers Sinergi's search attributes once the frontend knows the namespace: a namespace just
 * created reaches the frontend's cache some seconds later (the workers register them too, and
 * would otherwise die at their first start).
 */
async function registerWhenNamespaceKnown(address: string, namespace: string, timeoutMs = 90_000): Promise<string[]> {
  const connection = await Connection.connect({ address });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      try {
        return await registerSearchAttributes(connection, namespace);
      } catch (err) {
        const notFound = (err as { code?: number }).code === status.NOT_FOUND;
        if (!notFound || Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 1_000));
      }
    }
  } finally {
    await connection.close();
  }
}
