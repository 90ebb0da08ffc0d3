import type { Client } from '@temporalio/client';
import type { Logger } from '../logging/logger';

export interface ApiDeps {
  client: Client;
  namespace: string;
  /** The workflow task queue runs are started on. */
  taskQueue: string;
  logger: Logger;
  /** Where the Temporal UI is, for links in responses (absent in a headless deployment). */
  temporalUiUrl?: string;
}
