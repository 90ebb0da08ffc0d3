import { z } from 'zod';
import { AgencySchema, type Agency } from './agency';
import { HouseholdSchema, type Household } from './household';
import { RunIdSchema, StepKeySchema, TaskIdSchema } from './ids';
import { VisitFormItemSchema } from './graduation';
import { VisitPhaseSchema } from './graduation-steps';
import { PlanStepSchema } from './program-plan';
import { StepKindSchema, type StepKind } from './step-kind';

/**
 * What an adapter needs to open one task at its agency, as GET /v1/agencies/{agency}/tasks/{taskId}
 * documents it for a ministry reading it back. Built by the run (domain/run-machine.ts), never parsed.
 */
/** A follow-up visit's part of the request: which visit it is, and the indicators to report. */
export const VisitRequestSchema = z.object({ phase: VisitPhaseSchema, report: z.array(VisitFormItemSchema) });
export type VisitRequest = z.infer<typeof VisitRequestSchema>;

export const TaskRequestSchema = z.object({
  taskId: TaskIdSchema.meta({ description: 'also the idempotency key: the agency must answer a repeated request with the same task' }),
  runId: RunIdSchema,
  stepKey: StepKeySchema,
  attempt: z.number().int().min(1),
  agency: AgencySchema,
  kind: StepKindSchema,
  parameters: PlanStepSchema.shape.parameters.unwrap(),
  household: HouseholdSchema.meta({ description: "personal data, in full (the head's NIK and name, phone and e-mail when known): the agency needs them to find the family" }),
  visit: VisitRequestSchema.optional().meta({ description: "a follow-up visit under a plan with graduation criteria: what the visit must report" }),
}).meta({ id: 'TaskRequest' });

/**
 * The schema's type, kept an interface: agency definitions type their request bodies with it,
 * and there z.infer would be circular (Agency is derived from those definitions).
 */
export interface TaskRequest {
  taskId: string;
  runId: string;
  stepKey: string;
  attempt: number;
  agency: Agency;
  kind: StepKind;
  parameters: Record<string, string | number | boolean>;
  household: Household;
  visit?: VisitRequest;
}
/** Each assignable to the other, with the same keys (an optional field on one side only is caught too). */
type Same<A, B> = [A, keyof A] extends [B, keyof B] ? ([B, keyof B] extends [A, keyof A] ? true : never) : never;
const _sameAsSchema: Same<TaskRequest, z.infer<typeof TaskRequestSchema>> = true;

export interface OpenedTask {
  /** The agency's own reference for the task. */
  agencyReference: string;
}
