import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, bundleWorkflowCode, type Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createAdapters } from '../../activities/adapters';
import { createApp } from '../../api/app';
import type { AgencyEndpoints } from '../../config/config';
import { agencies, type Agency } from '../../domain/agency';
import { createLogger } from '../../logging/logger';
import { installSdkLogger } from '../../temporal/sdk-logger';
import { startSimulators } from '../../simulators/start-simulators';
import type { Behaviour } from '../../simulators/behaviour';
import { createWorkers, runWorkers, shutdownWorkers } from '../../worker/create-workers';
import { workflowsPath } from '../../worker/workflows-path';

// The SDK's INFO and WARN lines (worker states, expected activity failures) drown test output.
installSdkLogger(createLogger('error', 'temporal-sdk'), 'error');

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** Workflows are bundled once per test file (each file runs in its own process). */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath, logger: quietBundlerLogger });
  return bundle;
}
const noop = () => undefined;
const quietBundlerLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: noop, log: noop };

export interface StackOptions {
  temporalAddress: string;
  behaviour?: Partial<Record<Agency, Partial<Behaviour>>>;
  /** How long the simulated ministries take to report (ms). */
  delayMs?: number;
}

/**
 * The whole of Sinergi in one test process, on a real Temporal server: the API on a free
 * port, the four ministry simulators on free ports webhooking into it, and the workers on
 * a task queue of their own so test files never steal each other's tasks.
 */
export async function startStack(options: StackOptions) {
  const logger = createLogger('silent', 'test');
  const taskQueue = `test-${randomUUID()}`;
  const connection = await Connection.connect({ address: options.temporalAddress });
  const client = new Client({ connection, namespace: 'default' });
  const app = createApp({ client, namespace: 'default', taskQueue, logger });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const endpoints = testEndpoints();
  const sims = await startSimulators({
    host: '127.0.0.1',
    ports: { kemensos: 0, kemnaker: 0, kemenkop: 0, pemda: 0 },
    webhookBaseUrl: apiUrl,
    endpoints,
    behaviour: options.behaviour,
    delayMs: options.delayMs ?? 50,
    logLevel: 'silent',
  });
  for (const agency of agencies) endpoints[agency].url = sims.urls[agency];
  const nativeConnection = await NativeConnection.connect({ address: options.temporalAddress });

  let workers: Worker[] = [];
  let running: Promise<void> = Promise.resolve();
  const startWorkers = async () => {
    workers = await createWorkers({
      connection: nativeConnection,
      namespace: 'default',
      taskQueue,
      runsWorkflows: true,
      agencies,
      adapters: createAdapters(endpoints),
      workflowBundle: await workflowBundle(),
    });
    running = runWorkers(workers);
  };
  const stopWorkers = () => shutdownWorkers(workers, running);
  await startWorkers();

  return {
    apiUrl,
    client,
    taskQueue,
    sims,
    startWorkers,
    stopWorkers,
    async close() {
      await stopWorkers();
      await sims.close();
      await new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      await nativeConnection.close();
      await connection.close();
    },
  };
}
export type Stack = Awaited<ReturnType<typeof startStack>>;

function testEndpoints(): AgencyEndpoints {
  return {
    kemensos: { url: '', apiKey: 'test-kemensos-key' },
    kemnaker: { url: '', token: 'test-kemnaker-token' },
    kemenkop: { url: '', clientId: 'sinergi-test', clientSecret: 'test-kemenkop-secret' },
    pemda: { url: '', username: 'sinergi-test', password: 'test-pemda-password' },
  };
}
