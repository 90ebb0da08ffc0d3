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
import { registerSearchAttributes } from '../temporal/register-search-attributes';
import { ensureDigestSchedule } from '../temporal/digest-schedule';
import { installSdkLogger } from './sdk-logger';
import { waitForTemporal } from '../temporal/wait-for-temporal';
import { encryptedDataConverter } from '../temporal/payload-codec';
import { RecordCipher } from '../lib/record-cipher';
import { createWorkers, runWorkers } from './create-workers';

async function main(): Promise<void> {
  const config = loadConfig();
  const payloadKeys = payloadKeyRing(config);
  const householdKeyOf = householdPseudonym(householdPseudonymKey(config));
  const dataConverter = encryptedDataConverter(payloadKeys);
  // Personal data kept under DATA_DIR is sealed with the same key ring.
  const dataDir = { root: config.dataDir, cipher: new RecordCipher(payloadKeys) };
  const logger = createLogger(config.logLevel, 'worker');
  installSdkLogger(logger, config.logLevel);
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
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  try {
    const workers = await createWorkers({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      dataConverter,
      runsWorkflows: config.worker.runsWorkflows,
      agencies: config.worker.agencies,
      adapters: createAdapters(config.agencies),
      notifications: createNotificationActivities(mail),
      bulk: createBulkActivities({ client, namespace: config.temporal.namespace }),
      digest: createDigestActivities({ ...mail, client, namespace: config.temporal.namespace }),
      rollout: createRolloutActivities({ client, namespace: config.temporal.namespace, taskQueue: config.temporal.taskQueue, dataDir, householdKeyOf }),
    });
    logger.info(
      { taskQueue: config.temporal.taskQueue, workflows: config.worker.runsWorkflows, agencies: config.worker.agencies },
      'worker polling',
    );
    // The SDK runtime shuts the workers down on SIGINT/SIGTERM; run() then resolves.
    await runWorkers(workers);
  } finally {
    await connection.close();
    await clientConnection.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
