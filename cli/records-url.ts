import type { Config } from '../config/config';
import { embeddedPostgresUrl } from '../config/embedded-postgres-url';

/**
 * The records store the CLI works on: DATABASE_URL, or outside production the one npm start runs
 * (which sets DATABASE_URL only for its own children), so `records rebuild` and `data reseal` work
 * beside `npm start` with no setting. Said on stderr, so the user knows which store was changed.
 */
export function cliRecordsUrl(config: Config): string | undefined {
  if (config.records.databaseUrl || config.production) return config.records.databaseUrl;
  console.error(`DATABASE_URL is not set: using npm start's embedded PostgreSQL (127.0.0.1:${config.records.embeddedPort}, database sinergi).`);
  return embeddedPostgresUrl(config.records.embeddedPort, 'sinergi');
}
