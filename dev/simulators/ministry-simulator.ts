import { createHash } from 'node:crypto';
import { z } from 'zod';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { AgencyDefinition } from '../../agencies/agency-definition';
import type { AgencyEndpoint } from '../../config/config';
import type { TaskResult } from '../../domain/task-outcome';
import type { WebhookEvent } from '../../domain/webhook-event';
import type { Logger } from '../../lib/logger';
import { findSignatureProblem } from '../../lib/standard-webhooks';
import { BehaviourPatchSchema, type Behaviour } from './behaviour';
import { mountStepRoute, routerMethod } from './step-route';
import { TaskRegistry, ineligibleReason, type Admission, type SimulatedTask } from './task-registry';
import { deliverWebhook } from './webhook-sender';

export interface Received<T, H extends string> {
  body: T;
  /** The required headers' values, by lower-case name. */
  headers: Record<H, string>;
}

/** What the simulator offers the routes of each step kind (step-route.ts). */
export interface MinistryDesk {
  /**
   * Checks the agency's credentials (401), then the body and the required headers (400 naming
   * each bad field); answers those itself and returns undefined then.
   */
  receive<S extends z.ZodType, H extends string = never>(
    req: Request,
    res: Response,
    schema: S,
    requiredHeaders?: readonly H[],
  ): Received<z.infer<S>, H> | undefined;
  /** Opens the task once per task id and, unless told otherwise, reports `result()` later. */
  admit(taskId: string, householdId: string, result: () => TaskResult): Admission;
}

/** In-process control of one simulator, for tests; other processes use /_simulator/*. */
export interface SimulatorControl {
  behaviour(): Behaviour;
  /** Throws a ZodError for an invalid patch, as PATCH /_simulator/behaviour answers 400. */
  setBehaviour(patch: Partial<Behaviour>): void;
  tasks(): SimulatedTask[];
  /** Forgets every task and cancels the reports still pending. */
  reset(): void;
}

type Issue = { field: string; message: string };
const fieldsOf = (error: z.ZodError): Issue[] => error.issues.map((i) => ({ field: i.path.join('.'), message: i.message }));

export function createMinistrySimulator(options: {
  definition: AgencyDefinition;
  /** The credentials and request-signing secret Sinergi's adapter uses for this agency. */
  endpoint: Pick<AgencyEndpoint, 'credentials' | 'requestSecret'>;
  webhookBaseUrl: string;
  /** The secret this ministry signs its webhooks with. */
  webhookSecret: string;
  behaviour: Behaviour;
  logger: Logger;
}) {
  const { definition, logger } = options;
  const expectedAuth = definition.authHeaders(options.endpoint.credentials);
  const behaviour: Behaviour = structuredClone(options.behaviour);
  const registry = new TaskRegistry(definition.simulator.referencePrefix);
  const pendingReports = new Map<string, NodeJS.Timeout>();
  let deliveries = new AbortController();
  const rawBodies = new WeakMap<object, Buffer>();

  function cancelReports(): void {
    deliveries.abort();
    deliveries = new AbortController();
    for (const timer of pendingReports.values()) clearTimeout(timer);
    pendingReports.clear();
  }

  function report(task: SimulatedTask, outcome: 'completed' | 'rejected', result: () => TaskResult): void {
    const timer = setTimeout(() => {
      pendingReports.delete(task.taskId);
      const timestamp = new Date().toISOString();
      const event: WebhookEvent =
        outcome === 'completed'
          ? { type: 'task.completed', timestamp, data: { taskId: task.taskId, result: result() } }
          : { type: 'task.rejected', timestamp, data: { taskId: task.taskId, reason: ineligibleReason } };
      // Derived, not random: the same event keeps its id on every redelivery, so Sinergi can deduplicate.
      const webhookId = `msg_${createHash('sha256').update(`${task.taskId}|${event.type}`).digest('hex').slice(0, 24)}`;
      task.outcome = outcome;
      void deliverWebhook({
        url: `${options.webhookBaseUrl}/v1/webhooks/${definition.name}`,
        webhookId,
        event,
        secret: options.webhookSecret,
        signal: deliveries.signal,
        logger,
      }).then((delivery) => {
        task.webhookStatus = delivery.status;
        task.deliveredAt = delivery.deliveredAt;
        task.webhookLatencyMs = delivery.latencyMs;
      });
    }, behaviour.delayMs);
    pendingReports.set(task.taskId, timer);
  }

  const desk: MinistryDesk = {
    receive(req, res, schema, requiredHeaders = []) {
      const authorized = Object.entries(expectedAuth).every(([header, value]) => req.get(header) === value);
      const signatureProblem = findSignatureProblem(
        { id: req.get('webhook-id'), timestamp: req.get('webhook-timestamp'), signature: req.get('webhook-signature'), body: rawBodies.get(req) ?? '' },
        [options.endpoint.requestSecret],
        300,
      );
      if (!authorized || signatureProblem) {
        logger.info({ path: req.path, status: 401 }, 'task request unauthorized');
        res.status(401).json({ error: 'unauthorized', ...(signatureProblem && { signature: signatureProblem }) });
        return undefined;
      }
      const parsed = schema.safeParse(req.body);
      const headers: Record<string, string | undefined> = Object.fromEntries(requiredHeaders.map((h) => [h, req.get(h)]));
      const issues = [
        ...(parsed.success ? [] : fieldsOf(parsed.error)),
        ...requiredHeaders.filter((h) => !headers[h]).map((h) => ({ field: `header ${h}`, message: 'required' })),
      ];
      if (!parsed.success || issues.length > 0) {
        logger.info({ path: req.path, status: 400, fields: issues.map((i) => i.field) }, 'task request invalid');
        res.status(400).json({ error: 'invalid request', fields: issues });
        return undefined;
      }
      return { body: parsed.data, headers: headers as Record<(typeof requiredHeaders)[number], string> };
    },
    admit(taskId, householdId, result) {
      const admission = registry.admit(taskId, householdId, behaviour);
      logger.debug({ taskId, admission: admission.kind }, 'task request');
      if (admission.kind === 'opened' && admission.report !== 'none') report(admission.task, admission.report, result);
      return admission;
    },
  };

  const control: SimulatorControl = {
    behaviour: () => structuredClone(behaviour),
    setBehaviour: (patch) => Object.assign(behaviour, BehaviourPatchSchema.parse(patch)),
    tasks: () => registry.list(),
    reset: () => {
      cancelReports();
      registry.reset();
    },
  };

  const app = express();
  app.disable('x-powered-by');
  // Keep the raw bytes: the request signature is over them.
  app.use(express.json({ limit: '256kb', verify: (req, _res, buf) => rawBodies.set(req, buf) }));
  app.get('/_simulator/healthz', (_req, res) => {
    res.json({ agency: definition.name, status: 'ok' });
  });
  app.get('/_simulator/behaviour', (_req, res) => {
    res.json(control.behaviour());
  });
  app.patch('/_simulator/behaviour', (req, res) => {
    const parsed = BehaviourPatchSchema.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ error: 'invalid behaviour', fields: fieldsOf(parsed.error) });
      return;
    }
    control.setBehaviour(parsed.data);
    res.json(control.behaviour());
  });
  app.get('/_simulator/tasks', (_req, res) => {
    res.json(control.tasks());
  });
  app.delete('/_simulator/tasks', (_req, res) => {
    control.reset();
    res.status(204).end();
  });
  const router = express.Router();
  // Withdrawal, the same for every agency here: the task stops and is never reported.
  router[routerMethod[definition.cancel.method]](definition.cancel.path, (req, res) => {
    if (!desk.receive(req, res, z.unknown())) return;
    const taskId = String(req.params.taskId);
    const task = registry.cancel(taskId);
    clearTimeout(pendingReports.get(taskId));
    pendingReports.delete(taskId);
    logger.debug({ taskId, found: Boolean(task) }, 'task withdrawn');
    if (task) res.json({ reference: task.agencyReference, status: 'cancelled' });
    else res.status(404).json({ error: 'no such task' });
  });
  for (const step of Object.values(definition.steps)) mountStepRoute(router, step, desk);
  app.use(router);
  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });
  // Express' own handler would echo the parser's message, which quotes the body (NIKs, names).
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const status = typeof err === 'object' && err && 'status' in err && typeof err.status === 'number' ? err.status : 500;
    if (status >= 500) logger.error({ err, path: req.path }, 'simulator failed');
    res.status(status).json({ error: status === 400 ? 'malformed JSON body' : status < 500 ? 'request refused' : 'internal error' });
  });

  return {
    app,
    control,
    /** Cancels pending reports and deliveries. */
    stop: cancelReports,
  };
}
