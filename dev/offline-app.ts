import { Client, Connection } from '@temporalio/client';
import { createApp } from '../api/app';
import type { ApiDeps } from '../api/api-deps';
import { memorySessionStore } from '../api/auth/session-store';
import { developmentHouseholdKey, developmentPayloadKey } from '../config/config';
import { householdPseudonym } from '../lib/household-pseudonym';
import { RecordCipher } from '../lib/record-cipher';
import { createLogger } from '../lib/logger';
import { openRecordsDb } from '../records/records-db';
import { testCredentialStore, testWebhookSecrets } from './stack-credentials';

/**
 * The API with the test principals and no Temporal behind it: its connection is lazy, to a dead
 * port (its records store likewise), and used only if a route needs them, so what acts before that answers (the OpenAPI
 * document, the console's pages, rate limits, sign-in). Close it after.
 */
export function offlineApp(deps: Partial<ApiDeps> = {}) {
  const connection = Connection.lazy({ address: '127.0.0.1:9' });
  const cipher = new RecordCipher([developmentPayloadKey]);
  // A pool connects on its first query: to a dead port, like the Temporal connection.
  const records = openRecordsDb('postgres://unused@127.0.0.1:9/unused', cipher);
  const app = createApp({
    client: new Client({ connection }),
    namespace: 'default',
    taskQueue: 'unused',
    dataDir: { root: 'unused', cipher },
    records,
    householdKeyOf: householdPseudonym(developmentHouseholdKey),
    logger: createLogger('silent', 'api'),
    webhooks: { secrets: testWebhookSecrets(), toleranceSeconds: 300 },
    credentials: testCredentialStore(),
    rateLimits: { apiPerMinute: 100, webhooksPerMinute: 100, signInsPerMinute: 100 },
    sessions: memorySessionStore({ idleMinutes: 30, maxHours: 12 }),
    ...deps,
  });
  return { app, close: () => Promise.all([connection.close().catch(() => undefined), records.pool.end().catch(() => undefined)]) };
}
