import type { DataConverter } from '@temporalio/common';
import { NativeConnection, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import { createAgencyActivities } from '../activities/agency-activities';
import type { AgencyAdapter } from '../activities/adapters/agency-adapter';
import type { BulkActivities, DigestActivities, NotificationActivities, RecordActivities, RolloutActivities } from '../domain/activity-contracts';
import type { Agency } from '../domain/agency';
import { agencyTaskQueue } from '../domain/task-queues';
import { workflowCode } from './workflow-bundle';

export interface WorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  /** Encrypts every payload the workers write and decrypts what they read (encryptedDataConverter). */
  dataConverter: DataConverter;
  runsWorkflows: boolean;
  /** The agencies whose adapters this process runs. */
  agencies: readonly Agency[];
  adapters: Record<Agency, AgencyAdapter>;
  /** SLA notifications, run beside the workflows on their task queue. */
  notifications: NotificationActivities;
  /** Bulk operations over many runs, likewise. */
  bulk: BulkActivities;
  /** The managers' daily digest, likewise. */
  digest: DigestActivities;
  /** Rollouts starting, pausing and watching their runs, likewise. */
  rollout: RolloutActivities;
  /** The records store's writes: local activities of the workflows, so on their worker. */
  records: RecordActivities;
  /** How many workflows the workflow worker keeps in memory (worker/workflow-cache.ts); the SDK's default when absent (tests). */
  maxCachedWorkflows?: number;
  /** A bundle built in this process (tests, benchmarks); else the build's bundle, or the sources. */
  workflowBundle?: WorkflowBundleOption;
}

/** One worker for the workflows and one per agency, so a slow ministry never starves the others. */
export async function createWorkers(options: WorkerOptions): Promise<Worker[]> {
  const { connection, namespace, taskQueue, dataConverter } = options;
  const workers: Promise<Worker>[] = options.agencies.map((agency) =>
    Worker.create({
      connection,
      namespace,
      dataConverter,
      taskQueue: agencyTaskQueue(taskQueue, agency),
      activities: createAgencyActivities(options.adapters[agency]),
      ...shutdownTimes,
    }),
  );
  if (options.runsWorkflows) {
    workers.push(
      Worker.create({
        connection,
        namespace,
        dataConverter,
        taskQueue,
        activities: { ...options.notifications, ...options.bulk, ...options.digest, ...options.rollout, ...options.records },
        ...(options.maxCachedWorkflows !== undefined && { maxCachedWorkflows: options.maxCachedWorkflows }),
        ...shutdownTimes,
        ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : workflowCode()),
      }),
    );
  }
  return Promise.all(workers);
}

/** Runs the workers until they are shut down (by signal or by shutdownWorkers). */
export async function runWorkers(workers: Worker[]): Promise<void> {
  await Promise.all(workers.map((w) => w.run()));
}

/**
 * On shutdown, activities under way are cancelled at once and the worker stops at the latest
 * after 20 s: an activity that ignores its cancellation (an agency call or an e-mail still
 * retrying) is abandoned, and Temporal runs it again after its timeout, on another worker.
 */
const shutdownTimes = { shutdownForceTime: '20s' } as const;

export async function shutdownWorkers(workers: Worker[], running: Promise<void>): Promise<void> {
  for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
  await running;
}
