import type { RolloutPace } from '../domain/rollout';
import type { Client } from '@temporalio/client';
import type { WebhookSecrets } from '../config/config';
import type { Logger } from '../lib/logger';
import type { CredentialStore } from './auth/credential-store';

export interface ApiDeps {
  client: Client;
  namespace: string;
  /** The workflow task queue runs are started on. */
  taskQueue: string;
  /** Where imported cohorts are kept (shared with the workers, which read them). */
  dataDir: string;
  /** How fast rollouts start their runs unless a request says otherwise. */
  rolloutPace?: Partial<RolloutPace>;
  logger: Logger;
  /** Where the Temporal UI is, for links in responses (absent in a headless deployment). */
  temporalUiUrl?: string;
  webhooks: { secrets: WebhookSecrets; toleranceSeconds: number };
  credentials: CredentialStore;
  rateLimits: { apiPerMinute: number; webhooksPerMinute: number };
  /** Seals page tokens; give every API replica the same one so a listing can be paged across them. */
  pageTokenSecret?: string;
}
