import { z } from 'zod';
import { OperationNameSchema } from '../../domain/operation-name';
import type { RunSummary } from '../../temporal/visibility/run-page';
import type { Fits } from '../fits';

const LinksSchema = z.object({ self: z.string().optional(), temporalUi: z.string().optional() });

export const StartedRunSchema = z.object({
  runId: z.string(),
  programId: z.string(),
  programVersion: z.number().int(),
  status: z.literal('running'),
  links: LinksSchema,
});

/** One run as visibility lists it: search attributes only, no personal data. */
export const RunSummarySchema = z.object({
  runId: z.string(),
  temporalStatus: z.string(),
  outcome: z.string().optional(),
  rolloutId: z.string().optional(),
  programId: z.string().optional(),
  householdId: z.string().optional(),
  region: z.string().optional(),
  currentStep: z.string().optional(),
  currentAgency: z.string().optional(),
  currentTaskId: z.string().optional(),
  stepDeadline: z.string().optional(),
  stuck: z.boolean(),
  stuckSince: z.string().optional(),
  stepKinds: z.array(z.string()),
  welfare: z.array(z.string()),
  startTime: z.string().optional(),
});
const _summaryFits: Fits<RunSummary, typeof RunSummarySchema> = true;

export const RunPageSchema = z.object({ runs: z.array(RunSummarySchema), nextPageToken: z.string().optional() });

const StepViewSchema = z.looseObject({ key: z.string(), agency: z.string(), kind: z.string(), status: z.string(), stuck: z.boolean(), attempts: z.array(z.looseObject({ attempt: z.number(), taskId: z.string() })) });
const OperationRecordSchema = z.looseObject({ op: OperationNameSchema, stepKey: z.string().optional(), reason: z.string(), actor: z.string(), at: z.string() });

/** The run's state as its query answers it (domain/run-state.ts), in outline. */
const RunStateViewSchema = z.looseObject({
  runId: z.string(),
  rolloutId: z.string(),
  programId: z.string(),
  programVersion: z.number(),
  status: z.string(),
  currentStep: z.string().optional(),
  steps: z.array(StepViewSchema),
  operations: z.array(OperationRecordSchema).optional(),
});

export const RunViewSchema = z.object({
  runId: z.string(),
  temporal: z.object({ status: z.string(), runId: z.string(), startTime: z.string(), closeTime: z.string().optional(), historyLength: z.number() }),
  state: RunStateViewSchema,
  links: LinksSchema,
});

export const OperatedRunSchema = z.object({ runId: z.string(), operation: OperationRecordSchema.optional(), status: z.string(), steps: z.array(StepViewSchema) });
