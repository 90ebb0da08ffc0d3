import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { loadConfig } from '../config/config';
import { agencies } from '../domain/agency';
import { startDevServer } from '../temporal/dev-server';
import { registerSearchAttributes } from '../temporal/register-search-attributes';

/**
 * Runs Sinergi on one machine: the pinned Temporal dev server (SQLite under data/, with UI),
 * then the worker, the ministry simulators and the API as child processes.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const [host, port] = splitAddress(config.temporal.address);
  const dbFile = path.resolve(config.dataDir, 'temporal.db');
  console.log(`Starting Temporal dev server (state in ${dbFile})...`);
  const temporal = await startDevServer({
    ip: host,
    port,
    uiPort: config.temporal.uiPort,
    dbFile,
    namespace: config.temporal.namespace,
    onOutput: (line) => console.log(`[temporal] ${line}`),
  });
  // Never leave the server behind, whatever ends this process.
  process.once('exit', () => temporal.process.kill('SIGTERM'));
  const connection = await Connection.connect({ address: temporal.address });
  const added = await registerSearchAttributes(connection, config.temporal.namespace);
  await connection.close();
  if (added.length) console.log(`Registered search attributes: ${added.join(', ')}`);

  const children: ChildProcess[] = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping Sinergi...');
    await Promise.all(children.map((child) => stopChild(child)));
    await temporal.stop();
    console.log('Stopped. Runs are kept in', dbFile);
    process.exit(code);
  };
  process.once('SIGINT', () => void stopAll(0));
  process.once('SIGTERM', () => void stopAll(0));

  for (const [name, entry] of [
    ['worker', 'worker/main.ts'],
    ['simulators', 'simulators/main.ts'],
    ['api', 'api/main.ts'],
  ] as const) {
    const child = spawn(process.execPath, [require.resolve('tsx/cli'), entry], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    prefixOutput(child, name);
    child.once('exit', (code, signal) => {
      if (stopping) return;
      console.error(`[${name}] exited (${signal ?? code}); stopping everything`);
      void stopAll(1);
    });
  }

  await waitForReady(`http://${config.api.host}:${config.api.port}/readyz`);
  const api = `http://${config.api.host}:${config.api.port}`;
  console.log(`
Sinergi is running. Ctrl-C stops everything; starting again finds earlier runs where they were.
  API               ${api}   (health: ${api}/readyz)
  Temporal UI       ${temporal.uiUrl}
  Temporal frontend ${temporal.address}   (namespace ${config.temporal.namespace})
  Simulators        ${agencies.map((a) => `${a} http://${config.simulators.host}:${config.simulators.ports[a]}`).join(', ')}
Start a household's run:   see README.md, "Start a run"
`);
}

function splitAddress(address: string): [string, number] {
  const i = address.lastIndexOf(':');
  return [address.slice(0, i), Number(address.slice(i + 1))];
}

function prefixOutput(child: ChildProcess, name: string): void {
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      for (const line of chunk.split('\n').filter(Boolean)) console.log(`[${name}] ${line}`);
    });
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

async function waitForReady(url: string): Promise<void> {
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`API did not become ready at ${url}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
