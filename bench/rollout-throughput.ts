import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Client } from '@temporalio/client';
import type { apiClient } from '../cli/api-client';
import { graduationPlanV1 } from '../domain/plans/graduation';
import { syntheticCohortCsv } from '../dev/synthetic-cohort';

/**
 * The plan a throughput benchmark rolls out: the graduation plan's version 1, whose runs end at
 * their last visit (version 2's graduated households stay open for visits months later, so
 * "every run completed" never comes). 6 steps: 6 task requests and 6 webhooks per household.
 */
export const benchPlan = graduationPlanV1;

/**
 * The app's settings for a throughput measurement: the simulators answering at once, and the
 * limits that protect a shared deployment (request rates, the rollout's start pace) opened.
 */
export const throughputSettings = {
  SIM_DELAY_MS: '0',
  RATE_LIMIT_API_PER_MINUTE: '1000000',
  RATE_LIMIT_WEBHOOKS_PER_MINUTE: '10000000',
  ROLLOUT_STARTS_PER_SECOND: '5000',
  ROLLOUT_BATCH_SIZE: '500',
  LOG_LEVEL: 'warn',
  // The worker's cache holds the runs under way (2 workflows a household: the run and its enrolment lock): throughput with every run cached; bench:memory measures a cache smaller than the runs.
  WORKER_MEMORY_MB: '8192',
} as const;

export interface RolloutToCompletionOptions {
  api: ReturnType<typeof apiClient>;
  /** Temporal, in the namespace the runs are in. */
  client: Client;
  /** Where the cohort file is written. */
  dir: string;
  households: number;
  /** The synthetic cohort's KK prefix: a different one per rollout, so rollouts never meet in the overlap check. */
  prefix: number;
  /** Just before the rollout is started: the measured time starts here. */
  onStarting?: () => void;
  /** Each time the count of completed runs is read. */
  onProgress?: (completed: number, seconds: number) => void;
  /** Give up when no run has completed for this long. */
  stallMs?: number;
}

export interface RolloutMeasured {
  rolloutId: string;
  /** POST /v1/rollouts to the last run completed. */
  seconds: number;
  perSecond: number;
  /** The cohort's import (POST /v1/cohorts). */
  importMs: number;
}

/**
 * Imports a synthetic cohort through the API, starts a rollout of benchPlan for it and waits
 * until every run has completed, reading one visibility count a second (GET /v1/rollouts/:id
 * runs some twenty counts, which would load the server being measured).
 */
export async function rolloutToCompletion(options: RolloutToCompletionOptions): Promise<RolloutMeasured> {
  const { api, client, households: n } = options;
  const file = path.join(options.dir, `cohort-${n}-${options.prefix}.csv`);
  await pipeline(Readable.from(syntheticCohortCsv(n, options.prefix)), createWriteStream(file));
  const t0 = performance.now();
  const cohort = await api.upload<{ cohortId: string }>('/v1/cohorts', file, 'text/csv');
  const importMs = performance.now() - t0;
  const rolloutId = `bench-${n}-${Date.now().toString(36)}`;
  options.onStarting?.();
  const t1 = performance.now();
  await api.call('POST', '/v1/rollouts', { rolloutId, cohortId: cohort.cohortId, programId: benchPlan.programId, version: benchPlan.version, pace: { watchEvery: '1 second' } });
  const stallMs = options.stallMs ?? 600_000;
  let completed = 0;
  let movedAt = performance.now();
  while (completed < n) {
    await new Promise((r) => setTimeout(r, 1_000));
    const count = (await client.workflow.count(`RolloutId = '${rolloutId}' AND RunOutcome = 'completed'`)).count;
    if (count > completed) movedAt = performance.now();
    completed = count;
    options.onProgress?.(completed, (performance.now() - t1) / 1000);
    if (performance.now() - movedAt > stallMs) throw new Error(`rollout ${rolloutId}: ${completed} of ${n} runs completed, none more in ${stallMs / 1000} s`);
  }
  const seconds = (performance.now() - t1) / 1000;
  return { rolloutId, seconds, perSecond: n / seconds, importMs };
}
