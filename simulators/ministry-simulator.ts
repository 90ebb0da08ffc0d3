import { createHash } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import type { z } from 'zod';
import type { Agency } from '../domain/agency';
import type { TaskResult } from '../domain/task-outcome';
import type { WebhookEvent } from '../domain/webhook-event';
import type { Logger } from '../logging/logger';
import { findSignatureProblem } from '../signing/standard-webhooks';
import { BehaviourPatchSchema, type Behaviour } from './behaviour';
import { TaskRegistry, type Admission, type SimulatedTask } from './task-registry';
import { deliverWebhook } from './webhook-sender';

/** What the generic simulator offers an agency's own routes. */
export interface MinistryDesk {
  /** Checks the agency's credentials and parses the body; answers 401/400 itself and returns undefined then. */
  receive<S extends z.ZodType>(req: Request, res: Response, schema: S): z.infer<S> | undefined;
  /** Opens the task once per task id and, unless told otherwise, reports `result()` later. */
  admit(taskId: string, householdId: string, result: () => TaskResult): Admission;
}

/** One agency's API, as its simulator serves it. */
export interface AgencySimulation {
  agency: Agency;
  referencePrefix: string;
  /** The auth headers this agency expects, exactly. */
  expectedAuth: Record<string, string>;
  /** The secret Sinergi signs its task requests to this agency with. */
  requestSecret: string;
  mount(router: Router, desk: MinistryDesk): void;
}

export interface SimulatorControl {
  behaviour(): Behaviour;
  setBehaviour(patch: Partial<Behaviour>): void;
  tasks(): SimulatedTask[];
  reset(): void;
}

export function createMinistrySimulator(options: {
  simulation: AgencySimulation;
  webhookBaseUrl: string;
  /** The secret this ministry signs its webhooks with. */
  webhookSecret: string;
  behaviour: Behaviour;
  logger: Logger;
}) {
  const { simulation, logger } = options;
  const behaviour: Behaviour = structuredClone(options.behaviour);
  const registry = new TaskRegistry(simulation.referencePrefix);
  const shutdown = new AbortController();
  const timers = new Set<NodeJS.Timeout>();
  const rawBodies = new WeakMap<object, Buffer>();
  const rawBodyOf = (req: Request) => rawBodies.get(req) ?? Buffer.alloc(0);

  function report(task: SimulatedTask, outcome: 'completed' | 'rejected', result: () => TaskResult): void {
    const timer = setTimeout(() => {
      timers.delete(timer);
      const timestamp = new Date().toISOString();
      const event: WebhookEvent =
        outcome === 'completed'
          ? { type: 'task.completed', timestamp, data: { taskId: task.taskId, result: result() } }
          : { type: 'task.rejected', timestamp, data: { taskId: task.taskId, reason: 'household not eligible in the ministry register' } };
      const webhookId = `msg_${createHash('sha256').update(`${task.taskId}|${event.type}`).digest('hex').slice(0, 24)}`;
      task.outcome = outcome;
      void deliverWebhook({
        url: `${options.webhookBaseUrl}/v1/webhooks/${simulation.agency}`,
        webhookId,
        event,
        secret: options.webhookSecret,
        signal: shutdown.signal,
        logger,
      }).then((delivery) => {
        task.webhookStatus = delivery.status;
        task.deliveredAt = delivery.deliveredAt;
      });
    }, behaviour.delayMs);
    timers.add(timer);
  }

  const desk: MinistryDesk = {
    receive(req, res, schema) {
      const authorized = Object.entries(simulation.expectedAuth).every(([header, value]) => req.get(header) === value);
      const signatureProblem = findSignatureProblem(
        { id: req.get('webhook-id'), timestamp: req.get('webhook-timestamp'), signature: req.get('webhook-signature'), body: rawBodyOf(req) },
        [simulation.requestSecret],
        300,
      );
      if (!authorized || signatureProblem) {
        res.status(401).json({ error: 'unauthorized', ...(signatureProblem && { signature: signatureProblem }) });
        return undefined;
      }
      const parsed = schema.safeParse(req.body);
      if (!parsed.success) {
        res.status(400).json({ error: 'invalid request', fields: parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })) });
        return undefined;
      }
      return parsed.data;
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
    reset: () => registry.reset(),
  };

  const app = express();
  app.disable('x-powered-by');
  // Keep the raw bytes: the request signature is over them.
  app.use(express.json({ limit: '256kb', verify: (req, _res, buf) => rawBodies.set(req, buf) }));
  app.get('/_simulator/healthz', (_req, res) => {
    res.json({ agency: simulation.agency, status: 'ok' });
  });
  app.get('/_simulator/behaviour', (_req, res) => {
    res.json(control.behaviour());
  });
  app.patch('/_simulator/behaviour', (req, res) => {
    const parsed = BehaviourPatchSchema.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ error: 'invalid behaviour', fields: parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })) });
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
  simulation.mount(router, desk);
  app.use(router);

  return {
    app,
    control,
    /** Cancels pending reports and deliveries. */
    stop(): void {
      shutdown.abort();
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
