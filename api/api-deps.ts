import type { RolloutPace } from '../domain/rollout';
import type { Client } from '@temporalio/client';
import type { DataDir } from '../cohort/cohort-paths';
import type { WebhookSecrets } from '../config/config';
import type { HouseholdKeyOf } from '../lib/household-pseudonym';
import type { Logger } from '../lib/logger';
import type { StuckCounts } from '../lib/metrics';
import type { RecordsDb } from '../records/records-db';
import type { CredentialStore } from './auth/credential-store';
import type { SessionStore } from './auth/session-store';

export interface ApiDeps {
  client: Client;
  namespace: string;
  /** The workflow task queue runs are started on. */
  taskQueue: string;
  /** DATA_DIR (the personal-data audit file) and the cipher sealing what is written there. */
  dataDir: DataDir;
  /** Sinergi's records store (PostgreSQL): cohorts, exclusions, where runs and rollouts stand, read without asking a worker. */
  records: RecordsDb;
  /** A household's pseudonym, what Temporal knows it by (run ids, HouseholdId): the API translates a KK with it. */
  householdKeyOf: HouseholdKeyOf;
  /** How fast rollouts start their runs unless a request says otherwise. */
  rolloutPace?: Partial<RolloutPace>;
  logger: Logger;
  /** Where the Temporal UI is, for links in responses (absent in a headless deployment). */
  temporalUiUrl?: string;
  /** The origins of the Temporal UI, whose pages may call the codec endpoint (CORS); none when absent. */
  temporalUiOrigins?: readonly string[];
  webhooks: { secrets: WebhookSecrets; toleranceSeconds: number };
  credentials: CredentialStore;
  /** Per minute: requests per caller, webhooks per agency, failed console sign-ins per client address. */
  rateLimits: { apiPerMinute: number; webhooksPerMinute: number; signInsPerMinute: number };
  /** The console's sign-in sessions; in this process unless a shared store is given (several replicas need one). */
  sessions: SessionStore;
  /** Mark the session cookie Secure even on plain http: TLS ends at a proxy before the API (PUBLIC_BASE_URL is https). */
  secureCookies?: boolean;
  /** Seals page tokens; give every API replica the same one so a listing can be paged across them. */
  pageTokenSecret?: string;
  /** The built web console served at `/` (`npm run build` writes it); the repo's dist/console by default. */
  consoleDir?: string;
  /**
   * GET /metrics: the stuck steps per agency and regency, read at each scrape (no
   * sinergi_stuck_steps series without it), and the bearer token a scrape must send
   * (METRICS_TOKEN; open to any scraper without it).
   */
  metrics?: { stuckCounts?: StuckCounts; token?: string };
}
