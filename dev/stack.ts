import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { createAdapters } from '../activities/adapters';
import { createBulkActivities } from '../activities/bulk/bulk-activities';
import { createRolloutActivities } from '../activities/rollout/rollout-activities';
import { createDigestActivities } from '../activities/notifications/digest-activities';
import { createNotificationActivities } from '../activities/notifications/notification-activities';
import { startMailSink } from './mail-sink/start-mail-sink';
import { createApp } from '../api/app';
import { memorySessionStore, type SessionStore } from '../api/auth/session-store';
import { agencies, byAgency, type Agency } from '../domain/agency';
import { signedHeaders } from '../lib/standard-webhooks';
import { httpJson } from './http';
import { apiKeyOf, testContacts, testCredentialStore, testEndpoints, testWebhookSecrets, type Caller } from './stack-credentials';
import type { DestinationStream } from 'pino';
import { createLogger } from '../lib/logger';
import { createWorkerMetrics, type StuckCounts } from '../lib/metrics';
import { installSdkLogger } from '../worker/sdk-logger';
import { startSimulators } from './simulators/start-simulators';
import type { Behaviour } from './simulators/behaviour';
import { createWorkers, runWorkers, shutdownWorkers } from '../worker/create-workers';
import { developmentHouseholdKey, developmentPayloadKey } from '../config/config';
import { householdPseudonym } from '../lib/household-pseudonym';
import { encryptedDataConverter, type PayloadKey } from '../temporal/payload-codec';
import { RecordCipher } from '../lib/record-cipher';
import { workflowBundle } from '../worker/workflow-bundle';
import { createRecordActivities } from '../activities/records/record-activities';
import { countStuck } from '../records/read-stuck';
import { dropDatabase, ensureDatabase, migrateRecords, openRecordsDb } from '../records/records-db';
import { moveLegacyRecords } from '../cohort/legacy-data-dir';

export interface StackOptions {
  temporalAddress: string;
  behaviour?: Partial<Record<Agency, Partial<Behaviour>>>;
  /** How long the simulated ministries take to report (ms). */
  delayMs?: number;
  /** Send e-mail here instead of the stack's own mail sink (e.g. a dead port). */
  smtpUrl?: string;
  /** Share another stack's task queue (its catalog, its runs); a queue of its own by default. */
  taskQueue?: string;
  /** The console's sessions (e.g. on a test's clock); in memory, 30 minutes idle, 12 hours at most by default. */
  sessions?: SessionStore;
  /** Failed sign-ins per minute per client address; practically unlimited by default. */
  signInsPerMinute?: number;
  /** Where every component's log lines go, at this level; silent by default. */
  logs?: { level: string; destination: DestinationStream };
  /** The key ring payloads are encrypted with (current first); npm start's development key by default. */
  payloadKeys?: PayloadKey[];
  /** The key households are pseudonymised with in Temporal; npm start's development key by default. */
  householdKey?: Uint8Array;
  /** The Temporal UI's origin, allowed to call the codec endpoint from a browser. */
  temporalUiOrigin?: string;
  /** DATA_DIR, kept at close (e.g. for a stack started again over the same data); a temporary one removed at close by default. */
  dataDir?: string;
  /** What the API's sinergi_stuck_steps gauge reads at each scrape; no series without it. */
  stuckCounts?: StuckCounts;
  /**
   * A PostgreSQL superuser URL (the test run's, SINERGI_TEST_DATABASE_URL, by default): the stack
   * keeps its records in a database of its own there, dropped at close unless `database` is given.
   */
  databaseUrl?: string;
  /** Keep the records in this database (e.g. for a stack started again over the same records); kept at close. */
  database?: string;
  /** How many workflows the worker keeps in memory; the SDK's default (far more than a test runs) by default. */
  maxCachedWorkflows?: number;
}

let sdkLoggerInstalled = false;

/**
 * The whole of Sinergi in one test process, on a real Temporal server: the API on a free
 * port, the four ministry simulators on free ports webhooking into it, and the workers on
 * a task queue of their own so test files never steal each other's tasks.
 */
export async function startStack(options: StackOptions) {
  const logs = options.logs ?? { level: 'silent', destination: undefined };
  if (!sdkLoggerInstalled) {
    // Once per process. The SDK's INFO and WARN lines (expected activity failures) drown test output.
    installSdkLogger(createLogger(options.logs ? logs.level : 'error', 'temporal-sdk', logs.destination), options.logs ? logs.level : 'error');
    sdkLoggerInstalled = true;
  }
  const logger = createLogger(logs.level, 'api', logs.destination);
  const taskQueue = options.taskQueue ?? `test-${randomUUID()}`;
  const connection = await Connection.connect({ address: options.temporalAddress });
  // As in production: every payload the API and the workers write is encrypted.
  const payloadKeys = options.payloadKeys ?? [developmentPayloadKey];
  const dataConverter = encryptedDataConverter(payloadKeys);
  const householdKeyOf = householdPseudonym(options.householdKey ?? developmentHouseholdKey);
  const temporalUiOrigin = options.temporalUiOrigin ?? 'http://127.0.0.1:8233';
  const client = new Client({ connection, namespace: 'default', dataConverter });
  const webhookSecrets = testWebhookSecrets();
  // The audit file under it, and the records store's sealed columns, are sealed with the same ring, as in production.
  const dataDir = { root: options.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'sinergi-test-'))), cipher: new RecordCipher(payloadKeys) };
  const adminUrl = options.databaseUrl ?? process.env.SINERGI_TEST_DATABASE_URL;
  if (!adminUrl) throw new Error('startStack needs databaseUrl (a PostgreSQL superuser URL), or SINERGI_TEST_DATABASE_URL');
  const database = options.database ?? `sinergi_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const databaseUrl = await ensureDatabase(adminUrl, database);
  await migrateRecords(databaseUrl);
  const records = openRecordsDb(databaseUrl, dataDir.cipher);
  // As the API does at start: what an earlier version left under DATA_DIR moves into the records store.
  await moveLegacyRecords({ records, householdKeyOf, dataDir });
  const app = createApp({
    client,
    namespace: 'default',
    taskQueue,
    dataDir,
    records,
    householdKeyOf,
    logger,
    temporalUiOrigins: [temporalUiOrigin],
    webhooks: { secrets: webhookSecrets, toleranceSeconds: 300 },
    credentials: testCredentialStore(),
    rateLimits: { apiPerMinute: 100_000, webhooksPerMinute: 100_000, signInsPerMinute: options.signInsPerMinute ?? 100_000 },
    sessions: options.sessions ?? memorySessionStore({ idleMinutes: 30, maxHours: 12 }),
    metrics: { stuckCounts: options.stuckCounts ?? (() => countStuck(records)) },
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const endpoints = testEndpoints();
  // One registry for every worker set this stack starts (as one worker process has), read by tests.
  const workerMetrics = createWorkerMetrics();
  const sims = await startSimulators({
    host: '127.0.0.1',
    ports: byAgency(() => 0),
    webhookBaseUrl: apiUrl,
    endpoints,
    webhookSecrets,
    behaviour: options.behaviour,
    delayMs: options.delayMs ?? 50,
    logLevel: logs.level,
    logDestination: logs.destination,
  });
  for (const agency of agencies) endpoints[agency].url = sims.urls[agency];
  const mailSink = await startMailSink({ host: '127.0.0.1', smtpPort: 0, httpPort: 0 });
  const notifications = createNotificationActivities({
    smtpUrl: options.smtpUrl ?? mailSink.smtpUrl,
    from: 'Sinergi test <sinergi@test>',
    contacts: testContacts,
    publicBaseUrl: apiUrl,
  });
  const nativeConnection = await NativeConnection.connect({ address: options.temporalAddress });

  let workers: Worker[] = [];
  let running: Promise<void> = Promise.resolve();
  const startWorkers = async () => {
    workers = await createWorkers({
      connection: nativeConnection,
      namespace: 'default',
      taskQueue,
      dataConverter,
      runsWorkflows: true,
      agencies,
      adapters: createAdapters(endpoints, workerMetrics),
      notifications,
      bulk: createBulkActivities({ client, namespace: 'default' }),
      digest: createDigestActivities({ db: records, smtpUrl: options.smtpUrl ?? mailSink.smtpUrl, from: 'Sinergi test <sinergi@test>', contacts: testContacts, publicBaseUrl: apiUrl }),
      rollout: createRolloutActivities({ client, namespace: 'default', taskQueue, records, householdKeyOf, metrics: workerMetrics }),
      records: createRecordActivities({ db: records, householdKeyOf }),
      workflowBundle: await workflowBundle(),
      ...(options.maxCachedWorkflows !== undefined && { maxCachedWorkflows: options.maxCachedWorkflows }),
    });
    running = runWorkers(workers);
  };
  const stopWorkers = () => shutdownWorkers(workers, running);
  await startWorkers();

  return {
    apiUrl,
    webhookSecrets,
    endpoints,
    /** Calls the API over HTTP as one of the test principals (anonymous: no key at all). */
    call(method: string, path: string, body?: unknown, as: Caller | 'anonymous' = 'coordinator') {
      return httpJson(method, `${apiUrl}${path}`, body, as === 'anonymous' ? {} : { authorization: `Bearer ${apiKeyOf(as)}` });
    },
    /** Posts a file (a cohort's CSV or JSON) as it is, with its content type. */
    upload(path: string, body: string | Buffer, contentType: string, as: Caller = 'coordinator') {
      return httpJson('POST', `${apiUrl}${path}`, body, { 'content-type': contentType, authorization: `Bearer ${apiKeyOf(as)}` });
    },
    /** GETs a text answer (a CSV report). */
    async text(path: string, as: Caller = 'coordinator') {
      const res = await fetch(`${apiUrl}${path}`, { headers: { authorization: `Bearer ${apiKeyOf(as)}` } });
      return { status: res.status, headers: res.headers, text: await res.text() };
    },
    /** Posts a webhook signed as the agency's ministry would (or with the given secret and time). */
    webhook(agency: Agency, webhookId: string, body: unknown, options: { secret?: string; at?: Date } = {}) {
      const raw = JSON.stringify(body);
      const headers = signedHeaders(options.secret ?? webhookSecrets[agency][0]!, webhookId, raw, options.at);
      return httpJson('POST', `${apiUrl}/v1/webhooks/${agency}`, raw, headers);
    },
    client,
    /** What the stack's client and workers encrypt and decrypt payloads with. */
    dataConverter,
    /** A household's pseudonym as this stack's API and workers compute it. */
    householdKeyOf,
    temporalUiOrigin,
    taskQueue,
    dataDir,
    /** The workers' metrics (tasks opened, runs started by rollouts); the API's are at GET /metrics. No Core exporter here. */
    metrics: workerMetrics,
    /** The stack's records store (its own database) and that database's URL. */
    records,
    databaseUrl,
    sims,
    mailSink,
    startWorkers,
    stopWorkers,
    async close() {
      await stopWorkers();
      await sims.close();
      await mailSink.close();
      await new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      await nativeConnection.close();
      await connection.close();
      await records.pool.end();
      if (!options.database) await dropDatabase(adminUrl, database);
      if (!options.dataDir) await rm(dataDir.root, { recursive: true, force: true });
    },
  };
}
export type Stack = Awaited<ReturnType<typeof startStack>>;
