import { z } from 'zod';
import { scoreBands } from '../../domain/graduation';
import { RolloutPaceSchema, RolloutStatusSchema } from '../../domain/rollout';
import type { RolloutSummary } from '../../temporal/visibility/rollout-page';
import type { Fits } from '../fits';

const counts = z.record(z.string(), z.number().int());
/** The regions a caller limited to them is answered for; absent for a national caller. */
const ScopeRegionsSchema = z.array(z.string()).optional();

export const StartedRolloutSchema = z.object({
  rolloutId: z.string(),
  programId: z.string(),
  version: z.number().int(),
  cohortId: z.string(),
  households: z.number().int(),
  pace: RolloutPaceSchema,
});

export const RolloutPreviewSchema = z.object({
  cohortId: z.string(),
  programId: z.string(),
  version: z.number().int(),
  counts: z.object({ households: z.number().int(), eligible: z.number().int(), flagged: z.number().int(), excluded: z.number().int(), excludedBy: counts }),
  excluded: z.array(z.object({ householdId: z.string(), reason: z.string(), detail: z.string() })),
  flagged: z.array(z.object({ householdId: z.string(), reason: z.string(), detail: z.string() })),
  truncated: z.boolean(),
});

/** A regency (kabupaten/kota) code: province and regency of the Kemendagri village code. */
export const RegencyCodeSchema = z
  .string()
  .regex(/^\d{2}\.\d{2}$/, 'must be a regency code like 35.09')
  .meta({ description: 'a regency (kabupaten/kota) code, e.g. 35.09', example: '35.09' });

const runCount = z.number().int().min(0);

/** Every band a key of its own, so the document says each is always there. */
const ScoreBandCountsSchema = z.object(Object.fromEntries(scoreBands.map((band) => [band, runCount])) as Record<(typeof scoreBands)[number], typeof runCount>);

export const GraduationCountsSchema = z
  .object({
    decided: runCount.meta({ description: 'runs with at least one graduation decision (an extension counts): the sum of `scores`' }),
    graduated: runCount.meta({ description: 'runs that graduated (lulus graduasi), whether or not they relapsed later' }),
    extended: runCount.meta({ description: 'runs given an extension (diperpanjang), whatever came of it' }),
    exited: runCount.meta({ description: 'runs that left the programme not ready once their extensions were used up (keluar)' }),
    relapsed: runCount.meta({ description: 'graduated runs a visit after graduation found below the bar again' }),
    followingUp: runCount.meta({ description: 'graduated runs still open: only their visits after graduation (months later, on durable timers) remain' }),
    scores: ScoreBandCountsSchema.meta({ description: "decided runs by their latest decision's readiness score, in bands of ten (0-9 ... 80-89, 90-100); every band is present" }),
    criteriaMet: z.record(z.string(), runCount).meta({
      description: "per criterion key of the pinned plan's graduation criteria (every one present): decided runs whose latest decision found it met",
    }),
  })
  .meta({ description: "a graduation's course, counted from each run's visibility facts as soon as a decision is made (runs may go on to visits after graduation)" });

export const RegencyCountSchema = z.object({ regency: RegencyCodeSchema, households: runCount.meta({ description: "the cohort's households in it" }) });

export const RolloutGraduationQuerySchema = z.object({
  regency: RegencyCodeSchema.optional().meta({ description: "count only the runs of households in this regency (kabupaten/kota), e.g. 35.09; all the rollout's runs when absent" }),
});

export const RolloutGraduationSchema = z.object({
  rolloutId: z.string(),
  regency: RegencyCodeSchema.optional().meta({ description: 'the regency counted, as asked; absent for the whole rollout' }),
  regions: ScopeRegionsSchema.meta({ description: "for a caller limited to regions: those regions, the only ones counted (a regency outside them counts nothing)" }),
  graduation: GraduationCountsSchema.optional().meta({ description: 'absent when the pinned plan has no graduation criteria' }),
});

const ControlRecordSchema = z.looseObject({ action: z.string(), reason: z.string(), actor: z.string(), at: z.string() });

export const RolloutProgressSchema = z.object({
  rolloutId: z.string(),
  programId: z.string(),
  version: z.number().int(),
  cohortId: z.string(),
  startedBy: z.string(),
  startedAt: z.string(),
  status: RolloutStatusSchema,
  households: z.number().int(),
  starting: z.object({ read: z.number().int(), started: z.number().int(), flagged: z.number().int(), excluded: counts, allStarted: z.boolean() }),
  runs: z.object({
    total: z.number().int(),
    running: z.number().int(),
    completed: z.number().int(),
    rejected: z.number().int(),
    failed: z.number().int(),
    cancelled: z.number().int(),
    stuck: z.number().int(),
    byStep: counts.meta({ description: 'running runs by their current step of the plan' }),
    pastPlannedSteps: z
      .number()
      .int()
      .meta({ description: "running runs past the plan's steps: in an extension's visits, awaiting a manager's graduation decision, or in the visits after graduation" }),
  }),
  welfare: z
    .object({
      completedRuns: z.number().int().meta({ description: 'runs that completed' }),
      graduatedFollowingUp: z.number().int().meta({ description: 'graduated runs still open for their visits after graduation: their welfare status is settled too' }),
      before: counts,
      after: counts,
    })
    .meta({ description: 'welfare status before and after, counted over completed runs and graduated runs in follow-up after graduation' }),
  graduation: GraduationCountsSchema.optional().meta({ description: "the whole rollout's graduation; absent when the pinned plan has no graduation criteria. By regency: GET /v1/rollouts/{id}/graduation?regency=35.09" }),
  regencies: z.array(RegencyCountSchema).meta({ description: "the regencies (kabupaten/kota) the rollout's cohort covers, by code, with its households in each (for a caller limited to regions, in those alone)" }),
  regions: ScopeRegionsSchema.meta({ description: 'for a caller limited to regions: those regions; every count here (households, starting, runs, welfare, graduation, regencies) is of the households there alone' }),
  operations: z.array(ControlRecordSchema),
  finishedAt: z.string().optional(),
});

export const ControlledRolloutSchema = z.object({ rolloutId: z.string(), status: RolloutStatusSchema, operation: ControlRecordSchema.optional() });

/** One rollout as visibility lists it; what older rollouts lack (set at start since issue 11) is absent. */
export const RolloutSummarySchema = z.object({
  rolloutId: z.string(),
  programId: z.string().optional(),
  version: z.number().int().optional(),
  cohortId: z.string().optional(),
  households: z.number().int().optional(),
  startedBy: z.string().optional(),
  startedAt: z.string().optional(),
  /** The rollout's own status (absent for rollouts started before it was recorded). */
  status: RolloutStatusSchema.optional(),
  temporalStatus: z.string(),
  closedAt: z.string().optional(),
});
const _summaryFits: Fits<RolloutSummary, typeof RolloutSummarySchema> = true;

export const RolloutPageSchema = z.object({
  rollouts: z.array(RolloutSummarySchema),
  nextPageToken: z.string().optional(),
  regions: ScopeRegionsSchema.meta({ description: "for a caller limited to regions: those regions; only rollouts with households there are listed, and `households` counts those alone" }),
});
