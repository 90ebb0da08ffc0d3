import type { z } from 'zod';
import type { StepKind } from '../domain/step-kind';
import type { TaskResult } from '../domain/task-outcome';
import type { TaskRequest } from '../domain/task-request';

/** A status and JSON body a simulated ministry answers with. */
export interface SimulatedAnswer {
  status: number;
  body: unknown;
}

/** A task request as the simulated ministry received it, already checked against the wire schema. */
export interface ReceivedTask<Body> {
  body: Body;
  /** Required headers by lower-case name (the idempotency header, when the step has one). */
  headers: Record<string, string>;
  /** The route's path parameters, e.g. `taskId` of `/enrolments/:taskId`. */
  params: Record<string, string>;
}

/**
 * One step kind as an agency's API carries it: what the plan must give, the request on the
 * wire, how its answer reads, and how its simulator plays the ministry. Declared with method
 * syntax so a typed contract fits the registry's general one.
 */
export interface StepContract<P extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType, A extends z.ZodType = z.ZodType> {
  /** The plan step's `parameters` this agency needs; also checked when a plan is published. */
  parameters: P;
  request: {
    method: 'POST' | 'PUT';
    /** Express-style; `:taskId` is replaced by the task id (see taskPath). */
    path: string;
    /** Carries the task id when the agency deduplicates by a header. */
    idempotencyHeader?: string;
    /** The body as the agency's API defines it; the simulator answers 400 naming each bad field. */
    schema: B;
    body(task: TaskRequest, parameters: z.output<P>): z.input<B>;
  };
  answer: {
    /** The agency's answer for an accepted (or already accepted) task. */
    accepted: A;
    reference(answer: z.output<A>): string;
    /** Statuses besides 2xx that mean "accepted before". */
    alsoAccepted?: readonly number[];
    /** Reads the agency's reason out of its 422 refusal. */
    refusalReason(body: unknown): string | undefined;
  };
  simulator: {
    /** The ministry's key for the task: Sinergi's task id, wherever this API carries it. */
    taskKey(received: ReceivedTask<z.output<B>>): string | undefined;
    /** The household's KK, which the simulator's rejection behaviour goes by. */
    householdId(body: z.output<B>): string;
    /** What the ministry reports by webhook when the task is done. */
    result(body: z.output<B>): TaskResult;
    answers: SimulatorAnswers;
  };
}

export interface SimulatorAnswers {
  opened(reference: string): SimulatedAnswer;
  /** A repeated request for a task already open. */
  existing(reference: string): SimulatedAnswer;
  unavailable(): SimulatedAnswer;
  refused(reason: string): SimulatedAnswer;
}

/** Everything about one ministry's API, as data: its generic adapter and simulator read only this. */
export interface AgencyDefinition<Name extends string = string, Credential extends string = string> {
  name: Name;
  /** Environment-key suffixes (`<AGENCY>_<suffix>`) with their development defaults. */
  credentials: Record<Credential, string>;
  authHeaders(credentials: Record<Credential, string>): Record<string, string>;
  simulator: { port: number; referencePrefix: string };
  steps: Partial<Record<StepKind, StepContract>>;
  /** Withdraws a task (404 if unknown); `:taskId` in the path as for requests. */
  cancel: { method: 'DELETE' | 'POST'; path: string; body(reason: string): unknown };
}

export const defineAgency = <Name extends string, Credential extends string>(definition: AgencyDefinition<Name, Credential>) => definition;

/** Keeps each step's parameter, body and answer types tied together while it is written. */
export const defineStep = <P extends z.ZodType, B extends z.ZodType, A extends z.ZodType>(step: StepContract<P, B, A>): StepContract<P, B, A> => step;

/** A path template with the task id filled in. */
export const taskPath = (path: string, taskId: string) => path.replace(':taskId', encodeURIComponent(taskId));
