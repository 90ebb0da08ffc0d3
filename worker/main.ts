import { Client } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { createBulkActivities } from '../activities/bulk/bulk-activities';
import { createRolloutActivities } from '../activities/rollout/rollout-activities';
import { createDigestActivities } from '../activities/notifications/digest-activities';
import { createAdapters } from '../activities/adapters';
import { loadContacts } from '../activities/notifications/contacts';
import { createNotificationActivities } from '../activities/notifications/notification-activities';
import { householdPseudonymKey, loadConfig, payloadKeyRing } from '../config/config';
import { householdPseudonym } from '../lib/household-pseudonym';
import { createLogger } from '../lib/logger';
import { createWorkerMetrics } from '../lib/metrics';
import { registerSearchAttributes } from '../temporal/register-search-attributes';
import { ensureDigestSchedule } from '../temporal/digest-schedule';
import { installSdkLogger } from './sdk-logger';
import { freeLoopbackPort, startWorkerMetricsServer } from './metrics-server';
import { waitForTemporal } from '../temporal/wait-for-temporal';
import { encryptedDataConverter } from '../temporal/payload-codec';
import { RecordCipher } from '../lib/record-cipher';
import { createWorkers, runWorkers } from './create-workers';
import { createRecordActivities } from '../activities/records/record-activities';
import { connectRecords } from '../records/records-db';
import { limitWorkflowHeap, workflowMemoryFor } from './workflow-cache';

async function main(): Promise<void> {
  const config = loadConfig();
  const payloadKeys = payloadKeyRing(config);
  const householdKeyOf = householdPseudonym(householdPseudonymKey(config));
  const dataConverter = encryptedDataConverter(payloadKeys);
  // Personal data in the records store (runs, cohorts, exclusions) is sealed with the same key ring.
  const cipher = new RecordCipher(payloadKeys);
  const logger = createLogger(config.logLevel, 'worker');
  // Core's own exporter on a private loopback port: the worker's /metrics appends what it serves.
  const coreMetricsPort = await freeLoopbackPort();
  installSdkLogger(logger, config.logLevel, { bindAddress: `127.0.0.1:${coreMetricsPort}` });
  const metrics = createWorkerMetrics();
  const metricsServer = await startWorkerMetricsServer({
    registry: metrics.registry,
    host: config.worker.metricsHost,
    port: config.worker.metricsPort,
    coreMetricsUrl: `http://127.0.0.1:${coreMetricsPort}/metrics`,
    token: config.metrics.token,
  });
  // The port chosen matters when WORKER_METRICS_PORT is 0.
  logger.info({ url: metricsServer.url, port: metricsServer.port }, 'worker metrics');
  const db = await connectRecords(config.records.databaseUrl, cipher, (message) => logger.info(message));
  const clientConnection = await waitForTemporal(config.temporal.address, logger);
  await registerSearchAttributes(clientConnection, config.temporal.namespace);
  const client = new Client({ connection: clientConnection, namespace: config.temporal.namespace, dataConverter });
  const mail = {
    smtpUrl: config.mail.smtpUrl,
    from: config.mail.from,
    contacts: loadContacts(config.mail.contactsFile),
    publicBaseUrl: config.api.publicBaseUrl,
  };
  if (config.worker.runsWorkflows) {
    const schedule = await ensureDigestSchedule(client, { scheduleId: 'sinergi-daily-digest', taskQueue: config.temporal.taskQueue, ...config.digest });
    logger.info({ schedule }, 'daily digest schedule');
  }
  const memory = workflowMemoryFor(config.worker.memoryMb);
  if (config.worker.runsWorkflows) {
    limitWorkflowHeap(memory);
    logger.info({ memoryMb: config.worker.memoryMb, ...memory }, 'workflow memory');
  }
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  try {
    const workers = await createWorkers({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      dataConverter,
      runsWorkflows: config.worker.runsWorkflows,
      agencies: config.worker.agencies,
      adapters: createAdapters(config.agencies, metrics),
      notifications: createNotificationActivities(mail),
      bulk: createBulkActivities({ client, namespace: config.temporal.namespace }),
      digest: createDigestActivities({ ...mail, db }),
      rollout: createRolloutActivities({ client, namespace: config.temporal.namespace, taskQueue: config.temporal.taskQueue, records: db, householdKeyOf, metrics }),
      records: createRecordActivities({ db, householdKeyOf }),
      maxCachedWorkflows: memory.maxCachedWorkflows,
    });
    logger.info(
      { taskQueue: config.temporal.taskQueue, workflows: config.worker.runsWorkflows, agencies: config.worker.agencies },
      'worker polling',
    );
    // The SDK runtime shuts the workers down on SIGINT/SIGTERM; run() then resolves.
    await runWorkers(workers);
  } finally {
    await metricsServer.close();
    await connection.close();
    await clientConnection.close();
    await db.pool.end();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
