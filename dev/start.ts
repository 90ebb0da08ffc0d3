import { spawn } from 'node:child_process';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { developmentHouseholdKey, developmentPayloadKey, householdPseudonymKey, loadConfig, payloadKeyRing } from '../config/config';
import { loadDotEnv } from '../config/dot-env';
import { agencies } from '../domain/agency';
import { startDevServer } from './temporal-dev-server';
import { startEmbeddedPostgres, type RunningPostgres } from './embedded-postgres';
import { ensureDatabase } from '../records/records-db';
import { registerSearchAttributes } from '../temporal/register-search-attributes';
import { prefixOutput, stopChild, supervise, waitForReady, type Launched, type Supervised } from './supervisor';

/**
 * Runs Sinergi on one machine: the pinned Temporal dev server (SQLite under data/, with UI),
 * then the worker, the ministry simulators and the API as child processes.
 */
async function main(): Promise<void> {
  loadDotEnv();
  const config = loadConfig();
  // The API and the worker encrypt with this ring (they read the same environment); refused here
  // first, before anything starts, if it would be refused there.
  const payloadKeys = payloadKeyRing(config);
  const householdKey = householdPseudonymKey(config);
  const codecEndpoint = `${config.api.publicBaseUrl}/v1/codec`;
  const [host, port] = splitAddress(config.temporal.address);
  const dbFile = path.resolve(config.dataDir, 'temporal.db');
  // The records store: DATABASE_URL when given, else a real PostgreSQL of our own under DATA_DIR.
  let postgres: RunningPostgres | undefined;
  if (!config.records.databaseUrl) {
    const dir = path.resolve(config.dataDir, 'postgres');
    console.log(`Starting PostgreSQL (records in ${dir}, port ${config.records.embeddedPort})...`);
    postgres = await startEmbeddedPostgres({ dir, port: config.records.embeddedPort, onLog: (line) => /ERROR|FATAL|PANIC/.test(line) && console.log(`[postgres] ${line}`) });
    // The api and the worker (children) read it from the environment they inherit.
    process.env.DATABASE_URL = await ensureDatabase(postgres.url, 'sinergi');
  }
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
    await postgres?.stop();
    console.log('Stopped. Runs are kept in', dbFile, postgres ? `and records in ${path.resolve(config.dataDir, 'postgres')}` : '');
    process.exit(code);
  };
  // embedded-postgres stops its server and exits the process on these signals (async-exit-hook),
  // before the API and the worker are done with it: here everything stops, in order, PostgreSQL last.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.removeAllListeners(signal);
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
  Records store     ${postgres ? `PostgreSQL on 127.0.0.1:${config.records.embeddedPort} (embedded), database sinergi` : 'DATABASE_URL'}
  Mail sink         SMTP ${config.mail.smtpUrl}, received e-mail at http://${config.mailSink.host}:${config.mailSink.httpPort}/messages
  Simulators        ${agencies.map((a) => `${a} http://${config.simulators.host}:${config.simulators.ports[a]}`).join(', ')}
Start a household's run:   see README.md, "Start a run"
`);
}

function splitAddress(address: string): [string, number] {
  const i = address.lastIndexOf(':');
  return [address.slice(0, i), Number(address.slice(i + 1))];
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
