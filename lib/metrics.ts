import { createHash, timingSafeEqual } from 'node:crypto';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { z } from 'zod';
import { AgencySchema, type Agency } from '../domain/agency';
import type { BulkOperationNameSchema, OperationName } from '../domain/operation-name';
import type { Logger } from './logger';

/*
 * Prometheus metrics. Each API app and each worker process counts into a registry of its own,
 * never prom-client's global one: tests run several apps and worker sets in one process. Every
 * label value comes from a closed set (agencies of the registry, results, operation names,
 * regency codes), so no series can name a household, a person or anything a caller sent.
 */

/** How the API answered a ministry's webhook. */
export type WebhookResult = 'accepted' | 'duplicate' | 'rejected_signature' | 'invalid' | 'unknown_task' | 'conflict' | 'rate_limited' | 'error';
/** How a manager's operation ended: recorded in the run, a bulk operation started, refused by the run (409), no such run (404), or failed. */
export type OperationResult = 'applied' | 'started' | 'refused' | 'not_found' | 'error';
/** An operation on one run by its name, a bulk operation as bulk-<name>. */
export type OperationLabel = OperationName | `bulk-${z.infer<typeof BulkOperationNameSchema>}`;
/** Why opening a task at an agency failed (domain/failure-types.ts), or that the activity was cancelled. */
export type TaskOpenFailureReason = 'rejected' | 'bad_request' | 'unavailable' | 'cancelled' | 'error';

/** Stuck steps per agency (null: a step no agency holds, e.g. a graduation decision) and regency (`35.09`). */
export type StuckCounts = () => Promise<Array<{ agency: string | null; regency: string; count: number }>>;

export const METRICS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;

/** An agency named by a caller (a webhook's path), or `unknown`: the label never holds what was sent. */
export const agencyLabel = (value: unknown): Agency | 'unknown' => AgencySchema.safeParse(value).data ?? 'unknown';
const regencyLabel = (value: string) => (/^\d{2}\.\d{2}$/.test(value) ? value : 'unknown');

function processRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

/** Defined once: the API counts its starts as origin="api", a worker its rollouts' as origin="rollout"; Prometheus sums the processes. */
const runsStartedCounter = (registry: Registry) =>
  new Counter({
    name: 'sinergi_runs_started_total',
    help: 'Household runs started, by origin: api (POST /v1/runs) or rollout (a rollout batch); a run found already started is not counted again',
    labelNames: ['origin'] as const,
    registers: [registry],
  });

/** The API's metrics; `stuckCounts` is read at each scrape (the records store), never from Temporal visibility. */
export function createApiMetrics(options: { stuckCounts?: StuckCounts; logger?: Logger } = {}) {
  const registry = processRegistry();
  const webhooks = new Counter({
    name: 'sinergi_webhooks_total',
    help: 'Ministry webhooks answered, by agency and result (accepted, duplicate, rejected_signature, invalid, unknown_task, conflict, rate_limited, error)',
    labelNames: ['agency', 'result'] as const,
    registers: [registry],
  });
  const operations = new Counter({
    name: 'sinergi_operations_total',
    help: "Managers' operations on runs (retry, skip, extend, reassign, cancel, decide-graduation) and bulk operations started (bulk-<op>), by result",
    labelNames: ['op', 'result'] as const,
    registers: [registry],
  });
  const runsStarted = runsStartedCounter(registry);
  const { stuckCounts, logger } = options;
  new Gauge({
    name: 'sinergi_stuck_steps',
    help: 'Steps past their deadline now, by agency (none: no agency holds the step) and regency, read at scrape time',
    labelNames: ['agency', 'regency'] as const,
    registers: [registry],
    async collect() {
      // Series that are no longer stuck must vanish, not keep their last value.
      this.reset();
      if (!stuckCounts) return;
      try {
        for (const { agency, regency, count } of await stuckCounts()) {
          this.inc({ agency: agency === null ? 'none' : agencyLabel(agency), regency: regencyLabel(regency) }, count);
        }
      } catch (err) {
        // The rest of the scrape still answers; a missing gauge is what an alert can see.
        this.reset();
        logger?.warn({ err: err instanceof Error ? err.message : String(err) }, 'stuck step counts unavailable for metrics');
      }
    },
  });
  return {
    registry,
    webhookAnswered: (agency: Agency | 'unknown', result: WebhookResult) => webhooks.inc({ agency, result }),
    operationEnded: (op: OperationLabel, result: OperationResult) => operations.inc({ op, result }),
    runStarted: () => runsStarted.inc({ origin: 'api' }),
  };
}
export type ApiMetrics = ReturnType<typeof createApiMetrics>;

/** A worker process's metrics: what its activities did at the agencies and for rollouts. */
export function createWorkerMetrics() {
  const registry = processRegistry();
  const opened = new Counter({
    name: 'sinergi_tasks_opened_total',
    help: 'Tasks opened at agencies (the agency accepted the request), by agency',
    labelNames: ['agency'] as const,
    registers: [registry],
  });
  const failures = new Counter({
    name: 'sinergi_task_open_failures_total',
    help: 'Failed attempts to open a task at an agency (each retry counts), by agency and reason (rejected, bad_request, unavailable, cancelled, error)',
    labelNames: ['agency', 'reason'] as const,
    registers: [registry],
  });
  const runsStarted = runsStartedCounter(registry);
  return {
    registry,
    taskOpened: (agency: Agency) => opened.inc({ agency }),
    taskOpenFailed: (agency: Agency, reason: TaskOpenFailureReason) => failures.inc({ agency, reason }),
    runStarted: () => runsStarted.inc({ origin: 'rollout' }),
  };
}
export type WorkerMetrics = ReturnType<typeof createWorkerMetrics>;

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Whether a scrape may read the metrics: always when no METRICS_TOKEN is set (scrapers usually
 * carry no key), else only with `Authorization: Bearer <token>`, compared in constant time.
 */
export function metricsScrapeAllowed(authorization: string | undefined, token: string | undefined): boolean {
  if (!token) return true;
  const given = /^Bearer (.+)$/i.exec(authorization ?? '')?.[1] ?? '';
  return timingSafeEqual(digest(given), digest(token));
}
