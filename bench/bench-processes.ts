import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import pg from 'pg';
import { agencyEnvKeys } from '../config/config';
import { agencies, agencyDefinitionOf, type Agency } from '../domain/agency';
import { freePort } from '../dev/free-port';
import { startDevServer } from '../dev/temporal-dev-server';
import { startTemporaryPostgres } from '../dev/embedded-postgres';
import { ensureDatabase } from '../records/records-db';
import { registerSearchAttributes } from '../temporal/register-search-attributes';
import { parentOf } from './process-cpu';
import { throughputSettings } from './rollout-throughput';

/** A process of the stack under measurement, by the name its output and CPU figures carry. */
export interface Child {
  name: string;
  process: ChildProcess;
}

/** Starts a part of Sinergi as a process of its own, its stderr prefixed with its name. */
export function launch(name: string, entry: string, env: NodeJS.ProcessEnv, args: string[] = []): Child {
  // node --import tsx: the measured pid is the program itself, not a tsx launcher. With
  // BENCH_CPU_PROFILE_DIR set, each process writes a V8 CPU profile there as it exits (open it in
  // Chrome's DevTools), one per thread under a directory named for the process; NODE_OPTIONS may
  // not carry --cpu-prof.
  const profileDir = process.env.BENCH_CPU_PROFILE_DIR;
  const profiling = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.join(profileDir, name)}`] : [];
  const child = spawn(process.execPath, [...profiling, '--import', 'tsx', entry, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => process.stderr.write(chunk.split('\n').filter(Boolean).map((l) => `[${name}] ${l}\n`).join('')));
  return { name, process: child };
}

/** Waits until `url` answers 2xx. */
export async function waitForHttp(url: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not come up`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/**
 * The environment of a benchmark's API, worker and simulators as processes of their own: free
 * ports, the throughput settings (bench/rollout-throughput.ts), no mail sent (no SLA is breached
 * in a bench). Answers it with the API's and each simulator's address.
 */
export async function benchStackEnv(stack: { dataDir: string; temporalAddress: string; databaseUrl: string }) {
  const apiPort = await freePort();
  const simPorts = Object.fromEntries(await Promise.all(agencies.map(async (a) => [a, await freePort()] as const))) as Record<Agency, number>;
  const simUrls = Object.fromEntries(agencies.map((a) => [a, `http://127.0.0.1:${simPorts[a]}`])) as Record<Agency, string>;
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const env: NodeJS.ProcessEnv = {
    TEMPORAL_ADDRESS: stack.temporalAddress,
    TEMPORAL_TASK_QUEUE: 'bench',
    DATA_DIR: stack.dataDir,
    DATABASE_URL: stack.databaseUrl,
    API_PORT: String(apiPort),
    PUBLIC_BASE_URL: apiUrl,
    SIM_WEBHOOK_BASE_URL: apiUrl,
    // A free port for the worker's metrics, whatever else runs on this machine.
    WORKER_METRICS_PORT: '0',
    ...Object.fromEntries(agencies.flatMap((a) => [[agencyEnvKeys(agencyDefinitionOf[a]).simulatorPort, String(simPorts[a])], [agencyEnvKeys(agencyDefinitionOf[a]).url, simUrls[a]]])),
    ...throughputSettings,
    SMTP_URL: 'smtp://127.0.0.1:9',
  };
  return { env, apiUrl, simUrls };
}

/** Stops the processes (SIGTERM) and waits until each has exited. */
export async function stopAll(children: Child[]): Promise<void> {
  for (const c of children) c.process.kill('SIGTERM');
  await Promise.all(children.map((c) => new Promise((r) => (c.process.exitCode !== null ? r(null) : c.process.once('exit', r)))));
}

/**
 * What every single-machine benchmark stands on: a fresh Temporal dev server (its own SQLite
 * file, search attributes registered), a temporary PostgreSQL with the records store's database,
 * a temporary directory for both, and the environment of the processes under measurement.
 * `stop` stops those processes, then all of it, and removes the directory.
 */
export async function startBenchStack(name: string) {
  const dir = mkdtempSync(path.join(tmpdir(), `sinergi-${name}-`));
  const server = await startDevServer({ port: await freePort(), dbFile: path.join(dir, 'temporal.db'), readyTimeoutMs: 180_000 });
  const postgres = await startTemporaryPostgres();
  const connection = await Connection.connect({ address: server.address });
  await registerSearchAttributes(connection, 'default');
  const processes = await benchStackEnv({ dataDir: dir, temporalAddress: server.address, databaseUrl: await ensureDatabase(postgres.url, 'sinergi') });
  // The records store's server, whose CPU (with its backends') is the records store's cost: a backend's parent is the postmaster.
  const client = new pg.Client(postgres.url);
  await client.connect();
  const postgresPid = parentOf((await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid);
  await client.end();
  const stop = async (children: Child[]) => {
    await stopAll(children);
    await connection.close();
    await server.stop();
    await postgres.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  return { dir, server, connection, postgresPid, ...processes, stop };
}
