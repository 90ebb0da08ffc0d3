import { Client, Connection } from '@temporalio/client';
import { householdPseudonymKey, loadConfig, payloadKeyRing } from '../config/config';
import { householdPseudonym } from '../lib/household-pseudonym';
import { createLogger } from '../lib/logger';
import { encryptedDataConverter } from '../temporal/payload-codec';
import { RecordCipher } from '../lib/record-cipher';
import { registerSearchAttributes } from '../temporal/register-search-attributes';
import { countStuck } from '../records/read-stuck';
import { connectRecords } from '../records/records-db';
import { moveLegacyRecords } from '../cohort/legacy-data-dir';
import { createApp } from './app';
import { importLegacyAudit } from './audit/legacy-audit-import';
import { loadCredentialStore } from './auth/credential-store';
import { memorySessionStore } from './auth/session-store';

async function main(): Promise<void> {
  const config = loadConfig();
  const payloadKeys = payloadKeyRing(config);
  const householdKeyOf = householdPseudonym(householdPseudonymKey(config));
  const dataConverter = encryptedDataConverter(payloadKeys);
  // Personal data in the records store and under DATA_DIR (the audit file) is sealed with the same key ring.
  const dataDir = { root: config.dataDir, cipher: new RecordCipher(payloadKeys) };
  const logger = createLogger(config.logLevel, 'api');
  const records = await connectRecords(config.records.databaseUrl, dataDir.cipher, (message) => logger.info(message));
  // Before the first request: the audit file under DATA_DIR of an API from before the records store.
  await importLegacyAudit({ dataDir, records, logger });
  // Cohorts and exclusions written under DATA_DIR before the records store held them: moved once.
  const moved = await moveLegacyRecords({ records, householdKeyOf, dataDir });
  if (moved.counts.cohorts || moved.counts.exclusionFiles) logger.info({ moved: moved.counts }, 'cohorts and exclusions moved from DATA_DIR into the records store');
  if (moved.problems.length) logger.warn({ kept: moved.counts.kept, problems: moved.problems.slice(0, 20) }, 'records under DATA_DIR that would not open were left there');
  // Lazy: the API starts (and /readyz says "not ready") while Temporal is still coming up.
  const connection = Connection.lazy({ address: config.temporal.address });
  // Its payload codec also serves the codec endpoint (/v1/codec) the Temporal UI and CLI decode with.
  const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter });
  registerSearchAttributes(connection, config.temporal.namespace).catch((err: unknown) =>
    logger.warn({ err: String(err) }, 'could not register search attributes yet; the worker will'),
  );
  const app = createApp({
    client,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    dataDir,
    records,
    householdKeyOf,
    rolloutPace: config.rolloutPace,
    logger,
    temporalUiUrl: config.temporal.uiUrl,
    temporalUiOrigins: config.temporal.uiOrigins,
    webhooks: config.webhooks,
    credentials: loadCredentialStore(config.auth.credentialsFile),
    rateLimits: config.rateLimits,
    sessions: memorySessionStore(config.sessions),
    secureCookies: config.sessions.secureCookies,
    pageTokenSecret: config.api.pageTokenSecret,
    metrics: { token: config.metrics.token, stuckCounts: () => countStuck(records) },
  });
  const server = app.listen(config.api.port, config.api.host, () => {
    logger.info({ url: `http://${config.api.host}:${config.api.port}` }, 'API listening');
  });
  const stop = () => {
    logger.info('API draining');
    server.close(() => void Promise.allSettled([connection.close(), records.pool.end()]).finally(() => process.exit(0)));
    setTimeout(() => process.exit(0), 10_000).unref();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
