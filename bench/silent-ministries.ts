import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { apiClient } from '../cli/api-client';
import { agencies, type Agency } from '../domain/agency';
import { parseTaskId } from '../domain/ids';
import type { StepKind } from '../domain/step-kind';
import type { WebhookEvent } from '../domain/webhook-event';
import { syntheticCohortCsv } from '../dev/synthetic-cohort';
import type { SimulatedTask } from '../dev/simulators/task-registry';
import { signedHeaders } from '../lib/standard-webhooks';
import { benchPlan } from './rollout-throughput';

/**
 * Benchmarks whose runs wait at their tasks: the ministries' simulators open tasks and never
 * answer, and the benchmark sends the ministries' webhooks itself, signed as they sign them.
 */

/** Has every simulator open tasks and stay silent. */
export async function silenceMinistries(simUrls: Record<Agency, string>): Promise<void> {
  for (const a of agencies) {
    const res = await fetch(`${simUrls[a]}/_simulator/behaviour`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ silent: true }),
    });
    if (!res.ok) throw new Error(`${a} simulator: PATCH behaviour answered ${res.status}`);
  }
}

/** A task a simulator holds open: the run waits at it. */
export interface HeldTask {
  taskId: string;
  agency: Agency;
  kind: StepKind;
}

/** Every task the simulators opened and Sinergi has not withdrawn, from their own record of the tasks they received. */
export async function openedTasks(simUrls: Record<Agency, string>): Promise<HeldTask[]> {
  const found = await Promise.all(
    agencies.map(async (agency) => {
      const tasks = (await (await fetch(`${simUrls[agency]}/_simulator/tasks`)).json()) as SimulatedTask[];
      return tasks.flatMap((t) => {
        const stepKey = parseTaskId(t.taskId)?.stepKey;
        const step = benchPlan.steps.find((s) => s.key === stepKey);
        return step && !t.cancelledAt ? [{ taskId: t.taskId, agency, kind: step.kind }] : [];
      });
    }),
  );
  return found.flat();
}

/** Imports a synthetic cohort of `households` (KK prefix `prefix`) and starts a rollout of benchPlan for it; answers its id. */
export async function startBenchRollout(api: ReturnType<typeof apiClient>, dir: string, households: number, prefix: number, name: string): Promise<string> {
  const file = path.join(dir, `cohort-${name}-${prefix}.csv`);
  await pipeline(Readable.from(syntheticCohortCsv(households, prefix)), createWriteStream(file));
  const cohort = await api.upload<{ cohortId: string }>('/v1/cohorts', file, 'text/csv');
  const rolloutId = `bench-${name}-${Date.now().toString(36)}`;
  await api.call('POST', '/v1/rollouts', { rolloutId, cohortId: cohort.cohortId, programId: benchPlan.programId, version: benchPlan.version, pace: { watchEvery: '1 second' } });
  return rolloutId;
}

/** What became of one webhook sent. */
export interface WebhookAnswer {
  latencyMs?: number;
  status?: number;
  failure?: 'timeout' | 'network error';
}

/**
 * Sends one signed webhook and answers how it went, its latency counted from `since` (the
 * moment it was due, so a late sender shows as latency).
 */
export async function sendWebhook(url: string, secret: string, webhookId: string, event: WebhookEvent, since: number, timeoutMs: number): Promise<WebhookAnswer> {
  const body = JSON.stringify(event);
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signedHeaders(secret, webhookId, body) },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.arrayBuffer();
    return { status: res.status, latencyMs: performance.now() - since };
  } catch (err) {
    return { failure: err instanceof DOMException && err.name === 'TimeoutError' ? 'timeout' : 'network error' };
  }
}

export const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
