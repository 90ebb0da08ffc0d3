import { Connection } from '@temporalio/client';
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { startDevServer } from '../dev/temporal-dev-server';
import { registerSearchAttributes } from '../temporal/register-search-attributes';
import { freePort } from '../dev/free-port';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
  }
}

/** One real Temporal dev server (the project's pinned CLI) on a free port for the whole test run. */
export default async function setup(project: TestProject) {
  const server = await startDevServer({ port: await freePort(), readyTimeoutMs: 120_000 });
  const connection = await Connection.connect({ address: server.address });
  await registerSearchAttributes(connection, 'default');
  await connection.close();
  project.provide('temporalAddress', server.address);
  return () => server.stop();
}
