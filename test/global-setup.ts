import { Connection } from '@temporalio/client';
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { startTemporaryPostgres } from '../dev/embedded-postgres';
import { startDevServer } from '../dev/temporal-dev-server';
import { registerSearchAttributes } from '../temporal/register-search-attributes';
import { freePort } from '../dev/free-port';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    /** The test PostgreSQL's superuser URL: each stack makes a database of its own there. */
    databaseUrl: string;
  }
}

/**
 * One real Temporal dev server (the project's pinned CLI) and one real PostgreSQL (the
 * embedded-postgres package's binaries) on free ports for the whole test run.
 */
export default async function setup(project: TestProject) {
  // embedded-postgres registers async-exit-hook, which ends the process with process.exit(0) on
  // 'beforeExit': a run with a failed test (vitest sets exitCode 1 and lets the process end) then
  // exited 0, and CI passed it. Keep the code vitest set.
  const exit = process.exit.bind(process);
  process.exit = ((code?: number | string | null) => exit(code || process.exitCode)) as typeof process.exit;
  const [server, postgres] = await Promise.all([startDevServer({ port: await freePort(), readyTimeoutMs: 120_000 }), startTemporaryPostgres()]);
  const connection = await Connection.connect({ address: server.address });
  await registerSearchAttributes(connection, 'default');
  await connection.close();
  project.provide('temporalAddress', server.address);
  project.provide('databaseUrl', postgres.url);
  return () => Promise.all([server.stop(), postgres.stop()]);
}
