import { z } from 'zod';
import { OperationRecordSchema, RunStateSchema } from '../../domain/run-state';
import { ForcedStartSchema } from '../../domain/screening';
import type { RunSummary } from '../../temporal/visibility/run-page';
import type { Fits } from '../fits';
import type { getRun } from './get-run';
import type { operateRun } from './operate-run';

const LinksSchema = z.object({ self: z.string().optional(), temporalUi: z.string().optional() });

export const StartedRunSchema = z.object({
  runId: z.string(),
  programId: z.string(),
  programVersion: z.number().int(),
  status: z.literal('running'),
  /** A manager's forced start: who, why, and the screening it overrode. */
  forced: ForcedStartSchema.optional(),
  links: LinksSchema,
});

/** How a listing names a run's household: by pseudonym, the KK being personal data. */
export const HouseholdKeyFieldSchema = z.string().meta({
  description:
    "the household's pseudonym, what Temporal knows it by: a keyed HMAC of its family-card number (KK), never the KK (runs started before pseudonyms: their KK). Find a household's runs by KK with GET /v1/runs?household=<KK>; GET /v1/runs/{id} gives the KK in state.household",
});

/** One run as visibility lists it: search attributes only, no personal data. */
export const RunSummarySchema = z.object({
  runId: z.string(),
  temporalStatus: z.string(),
  outcome: z.string().optional(),
  rolloutId: z.string().optional(),
  programId: z.string().optional(),
  householdKey: HouseholdKeyFieldSchema.optional(),
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

export const RunViewSchema = z.object({
  runId: z.string(),
  temporal: z.object({ status: z.string(), runId: z.string(), startTime: z.string(), closeTime: z.string().optional(), historyLength: z.number() }),
  state: RunStateSchema,
  /** Started by a manager past the screening: who, why, and what it overrode. */
  forced: ForcedStartSchema.optional(),
  links: LinksSchema,
});
const _runFits: Fits<NonNullable<Awaited<ReturnType<typeof getRun>>> & { links: z.infer<typeof LinksSchema> }, typeof RunViewSchema> = true;

/** What an operation answers: the operation as the run recorded it, and the run's steps after it. */
export const OperatedRunSchema = RunStateSchema.pick({ runId: true, status: true, steps: true }).extend({ operation: OperationRecordSchema.optional() });
const _operatedFits: Fits<NonNullable<Awaited<ReturnType<typeof operateRun>>>, typeof OperatedRunSchema> = true;
