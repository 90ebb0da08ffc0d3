import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { developmentHouseholdKey, developmentPayloadKey, householdPseudonymKey, loadConfig, payloadKeyRing } from '../config/config';
import { agencies } from '../domain/agency';
import { startDevServer } from './temporal-dev-server';
import { registerSearchAttributes } from '../temporal/register-search-attributes';

/**
 * Runs Sinergi on one machine: the pinned Temporal dev server (SQLite under data/, with UI),
 * then the worker, the ministry simulators and the API as child processes.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  // The API and the worker encrypt with this ring (they read the same environment); refused here
  // first, before anything starts, if it would be refused there.
  const payloadKeys = payloadKeyRing(config);
  const householdKey = householdPseudonymKey(config);
  const codecEndpoint = `${config.api.publicBaseUrl}/v1/codec`;
  const [host, port] = splitAddress(config.temporal.address);
  const dbFile = path.resolve(config.dataDir, 'temporal.db');
  console.log(`Starting Temporal dev server (state in ${dbFile})...`);
  const launchTemporal = async (): Promise<Launched> => {
    const server = await startDevServer({
      ip: host,
      port,
      uiPort: config.temporal.uiPort,
      uiCodecEndpoint: codecEndpoint,
      dbFile,
      namespace: config.temporal.namespace,
      onOutput: (line) => console.log(`[temporal] ${line}`),
    });
    return { process: server.process, stop: server.stop };
  };
  const launchNode = (name: string, entry: string) => async (): Promise<Launched> => {
    // The program itself is the child (no tsx launcher in between), so a SIGKILL reaches it.
    const child = spawn(process.execPath, ['--import', 'tsx', entry], { stdio: ['ignore', 'pipe', 'pipe'] });
    prefixOutput(child, name);
    return { process: child, stop: () => stopChild(child) };
  };

  let stopping = false;
  const supervised: Supervised[] = [];
  const stopAll = async (code: number) => {
    if (stopping) {
      // A second Ctrl-C while stopping: stop waiting for anything.
      console.log('Stopping at once.');
      supervised.forEach((s) => s.current.process.kill('SIGKILL'));
      process.exit(code);
    }
    stopping = true;
    console.log('\nStopping Sinergi...');
    // The API and the worker first, so nothing is cut off mid-call; the server last.
    for (const s of [...supervised].reverse()) await s.current.stop();
    console.log('Stopped. Runs are kept in', dbFile);
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
  // Never leave a child behind, whatever ends this process.
  process.once('exit', () => supervised.forEach((s) => s.current.process.kill('SIGTERM')));

  const temporal = await supervise('temporal', launchTemporal, () => stopping, stopAll);
  supervised.push(temporal);
  const connection = await Connection.connect({ address: config.temporal.address });
  const added = await registerSearchAttributes(connection, config.temporal.namespace);
  await connection.close();
  if (added.length) console.log(`Registered search attributes: ${added.join(', ')}`);
  for (const [name, entry] of [
    ['mail-sink', 'dev/mail-sink/main.ts'],
    ['simulators', 'dev/simulators/main.ts'],
    ['worker', 'worker/main.ts'],
    ['api', 'api/main.ts'],
  ] as const) {
    supervised.push(await supervise(name, launchNode(name, entry), () => stopping, stopAll));
  }

  await waitForReady(`http://${config.api.host}:${config.api.port}/readyz`);
  const api = `http://${config.api.host}:${config.api.port}`;
  console.log(`
Sinergi is running. Ctrl-C stops everything; starting again finds earlier runs where they were.
A process that dies (kill the worker to see) is restarted; its runs carry on.
  API               ${api}   (health: ${api}/readyz; dev keys: dev-coordinator-key, dev-viewer-key, ...)
  Temporal UI       ${config.temporal.uiUrl}   (payloads decoded by ${codecEndpoint}: sign in to the console as a coordinator or manager first)
  Payload key       ${payloadKeys[0]!.id}${payloadKeys[0] === developmentPayloadKey ? ' (the development key: set SINERGI_PAYLOAD_KEYS for your own)' : ''}
  Household key     ${householdKey === developmentHouseholdKey ? 'the development key (set SINERGI_HOUSEHOLD_KEY for your own, before the first run: it can never change)' : 'configured'}
  Temporal frontend ${config.temporal.address}   (namespace ${config.temporal.namespace})
  Mail sink         SMTP ${config.mail.smtpUrl}, received e-mail at http://${config.mailSink.host}:${config.mailSink.httpPort}/messages
  Simulators        ${agencies.map((a) => `${a} http://${config.simulators.host}:${config.simulators.ports[a]}`).join(', ')}
Start a household's run:   see README.md, "Start a run"
`);
}

interface Launched {
  process: ChildProcess;
  stop(): Promise<void>;
}
interface Supervised {
  current: Launched;
}

/** Starts a process and restarts it whenever it dies unexpectedly; five quick deaths in a row stop everything. */
async function supervise(
  name: string,
  launch: () => Promise<Launched>,
  stopping: () => boolean,
  stopAll: (code: number) => Promise<void>,
): Promise<Supervised> {
  const handle: Supervised = { current: await launch() };
  let quickDeaths = 0;
  const watch = (launched: Launched, startedAt: number) => {
    launched.process.once('exit', (code, signal) => {
      if (stopping()) return;
      quickDeaths = Date.now() - startedAt < 10_000 ? quickDeaths + 1 : 0;
      if (quickDeaths >= 5) {
        console.error(`[${name}] keeps dying (last: ${signal ?? code}); stopping everything`);
        void stopAll(1);
        return;
      }
      console.error(`[${name}] exited (${signal ?? code}); restarting`);
      setTimeout(() => {
        if (stopping()) return;
        launch().then(
          (next) => {
            handle.current = next;
            watch(next, Date.now());
          },
          (err: unknown) => {
            console.error(`[${name}] could not restart: ${String(err)}`);
            void stopAll(1);
          },
        );
      }, 1_000 * quickDeaths);
    });
  };
  watch(handle.current, Date.now());
  return handle;
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
