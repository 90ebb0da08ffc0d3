import { z } from 'zod';
import { IsoDurationSchema } from './duration';
import { CriterionKeySchema, StepKeySchema } from './ids';
import { LabelSchema } from './label';

/**
 * What a follow-up visit reports for one criterion, and when that counts as met. Thresholds are
 * part of the indicator so that a criterion reads as one sentence: "savings, in Rupiah, at least
 * 500.000".
 */
export const IndicatorSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('number'),
    /** How people read the value: a Rupiah amount, a count, a number of days, a percentage. */
    unit: z.enum(['rupiah', 'count', 'days', 'percent']),
    /** Met at or above this (savings, sources of income)... */
    atLeast: z.number().min(0).optional(),
    /** ...or at or below this (days without a meal). */
    atMost: z.number().min(0).optional(),
  }),
  z.object({
    type: z.literal('yes-no'),
    /** The answer that meets the criterion. */
    expected: z.boolean().default(true),
  }),
  z.object({
    type: z.literal('choice'),
    choices: z.array(z.object({ key: CriterionKeySchema, label: LabelSchema })).min(2).max(12),
    /** The choices that meet the criterion. */
    meets: z.array(CriterionKeySchema).min(1),
  }),
]);
export type Indicator = z.infer<typeof IndicatorSchema>;

export const CriterionSchema = z
  .object({
    key: CriterionKeySchema,
    label: LabelSchema,
    indicator: IndicatorSchema,
    /** Its share in the readiness score, relative to the other criteria's weights. */
    weight: z.number().positive().max(100),
    /** A mandatory criterion unmet keeps the household from graduating whatever its score. */
    mandatory: z.boolean().default(false),
  })
  .superRefine(({ indicator }, ctx) => {
    if (indicator.type === 'number' && indicator.atLeast === undefined && indicator.atMost === undefined) {
      ctx.addIssue({ code: 'custom', path: ['indicator', 'atLeast'], message: 'give atLeast or atMost: the value that meets the criterion' });
    }
    if (indicator.type === 'number' && indicator.atLeast !== undefined && indicator.atMost !== undefined && indicator.atLeast > indicator.atMost) {
      ctx.addIssue({ code: 'custom', path: ['indicator', 'atMost'], message: 'cannot be below atLeast' });
    }
    if (indicator.type === 'choice') {
      const keys = indicator.choices.map((c) => c.key);
      keys.forEach((key, i) => {
        if (keys.indexOf(key) !== i) ctx.addIssue({ code: 'custom', path: ['indicator', 'choices', i, 'key'], message: `duplicate choice "${key}"` });
      });
      indicator.meets.forEach((key, i) => {
        if (!keys.includes(key)) ctx.addIssue({ code: 'custom', path: ['indicator', 'meets', i], message: `"${key}" is not one of the choices (${keys.join(', ')})` });
      });
    }
  });
export type Criterion = z.infer<typeof CriterionSchema>;

/**
 * A plan's graduation: the criteria the last planned follow-up visit's evidence is scored
 * against (BRAC's graduation approach), and what follows the decision.
 */
export const GraduationSchema = z
  .object({
    criteria: z.array(CriterionSchema).min(1).max(20),
    /** The readiness score (0-100: the share of the criteria's weight met) at which a household graduates. */
    readinessThreshold: z.number().min(0).max(100),
    /** A household not ready is given more visits, up to `max` times, before it exits the programme. */
    extensions: z.object({ max: z.number().int().min(0).max(5), visits: z.number().int().min(1).max(6) }).default({ max: 1, visits: 2 }),
    /** Whether a manager must approve each decision (an operation with a reason) within `sla`; the run is stuck after it, and the region's manager told. */
    approval: z
      .object({
        required: z.boolean(),
        sla: IsoDurationSchema.default('P7D'),
        // Optional in the type: plans pinned in runs before it have none, and count in calendar days.
        slaDays: z
          .enum(['calendar', 'working'])
          .default('calendar')
          .optional()
          .meta({
            description:
              "how the approval SLA's days (and weeks) count, as a step's slaDays: calendar as elapsed time; working as working days in the household's region (Monday to Friday without national holidays and cuti bersama; P1W is five), ending at office closing",
          }),
      })
      .default({ required: false, sla: 'P7D', slaDays: 'calendar' }),
    /** Visits after graduation (e.g. P26W and P52W: at six and twelve months), each checking for a relapse. */
    afterGraduation: z.array(IsoDurationSchema).max(4).default([]),
  })
  .superRefine((graduation, ctx) => {
    const keys = graduation.criteria.map((c) => c.key);
    keys.forEach((key, i) => {
      if (keys.indexOf(key) !== i) ctx.addIssue({ code: 'custom', path: ['criteria', i, 'key'], message: `duplicate criterion key "${key}"` });
    });
  });
export type Graduation = z.infer<typeof GraduationSchema>;

/** One line of a visit's form: what the facilitator reports, and the value that meets it. */
export const VisitFormItemSchema = z.object({ key: CriterionKeySchema, label: LabelSchema, indicator: IndicatorSchema, mandatory: z.boolean() });
export type VisitFormItem = z.infer<typeof VisitFormItemSchema>;

/** One value a visit reports: a number, a yes/no, or a choice's key. */
export const IndicatorValueSchema = z.union([z.number(), z.boolean(), z.string().max(40)]);
export type IndicatorValue = z.infer<typeof IndicatorValueSchema>;

/** What one follow-up visit found, kept in the run as the evidence of its decision. */
export const VisitEvidenceSchema = z.object({
  stepKey: StepKeySchema,
  visitedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-11-30'),
  indicators: z.record(CriterionKeySchema, IndicatorValueSchema),
});
export type VisitEvidence = z.infer<typeof VisitEvidenceSchema>;

/**
 * What is wrong with a visit's reported indicators against the criteria: each criterion must be
 * reported, with a value of its indicator's type. Paths are under `result.indicators`.
 */
export function indicatorIssues(graduation: Graduation, indicators: Record<string, IndicatorValue> | undefined): { path: string; message: string }[] {
  return graduation.criteria.flatMap(({ key, indicator }) => {
    const value = indicators?.[key];
    const path = `result.indicators.${key}`;
    if (value === undefined) return [{ path, message: 'required: the request asked for it' }];
    if (indicator.type === 'number' && (typeof value !== 'number' || value < 0)) return [{ path, message: `must be a number of at least 0 (${indicator.unit})` }];
    if (indicator.type === 'yes-no' && typeof value !== 'boolean') return [{ path, message: 'must be true or false' }];
    if (indicator.type === 'choice' && !indicator.choices.some((c) => c.key === value)) return [{ path, message: `must be one of: ${indicator.choices.map((c) => c.key).join(', ')}` }];
    return [];
  });
}

/** Whether a reported value meets the indicator's threshold; a missing or mistyped value does not. */
export function isMet(indicator: Indicator, value: IndicatorValue | undefined): boolean {
  switch (indicator.type) {
    case 'number':
      return typeof value === 'number' && (indicator.atLeast === undefined || value >= indicator.atLeast) && (indicator.atMost === undefined || value <= indicator.atMost);
    case 'yes-no':
      return value === indicator.expected;
    case 'choice':
      return typeof value === 'string' && indicator.meets.includes(value);
  }
}

export const CriterionResultSchema = z.object({
  key: CriterionKeySchema,
  value: IndicatorValueSchema.optional().meta({ description: 'the latest value any visit reported for it; absent when none did' }),
  met: z.boolean(),
  mandatory: z.boolean(),
  weight: z.number(),
});
export type CriterionResult = z.infer<typeof CriterionResultSchema>;

export const AssessmentSchema = z.object({
  score: z.number().min(0).max(100).meta({ description: "0-100, one decimal: the share of the criteria's total weight that is met" }),
  mandatoryMet: z.boolean().meta({ description: 'every mandatory criterion met' }),
  results: z.array(CriterionResultSchema),
});
export type Assessment = z.infer<typeof AssessmentSchema>;

/** Scores the evidence: each criterion by the latest visit that reported it. */
export function assess(graduation: Graduation, evidence: readonly VisitEvidence[]): Assessment {
  const results = graduation.criteria.map((criterion): CriterionResult => {
    const reported = [...evidence].reverse().find((visit) => visit.indicators[criterion.key] !== undefined);
    const value = reported?.indicators[criterion.key];
    return { key: criterion.key, ...(value !== undefined && { value }), met: isMet(criterion.indicator, value), mandatory: criterion.mandatory, weight: criterion.weight };
  });
  const total = results.reduce((sum, r) => sum + r.weight, 0);
  const met = results.reduce((sum, r) => sum + (r.met ? r.weight : 0), 0);
  return { score: Math.round((1000 * met) / total) / 10, mandatoryMet: results.every((r) => r.met || !r.mandatory), results };
}

/** Whether an assessment clears the bar: the score at or above the threshold and every mandatory criterion met. */
export const isReady = (graduation: Graduation, assessment: Assessment): boolean => assessment.mandatoryMet && assessment.score >= graduation.readinessThreshold;

export const GraduationDecisionSchema = z.enum(['graduate', 'extend', 'exit']);
export type GraduationDecision = z.infer<typeof GraduationDecisionSchema>;

/** Graduate when ready; otherwise extend while extensions remain; otherwise exit. */
export function decide(graduation: Graduation, assessment: Assessment, extensionsUsed: number): GraduationDecision {
  if (isReady(graduation, assessment)) return 'graduate';
  return extensionsUsed < graduation.extensions.max ? 'extend' : 'exit';
}

/** Score bands of ten for counting (0-9 ... 80-89, then 90-100), as the rollout's distribution shows them. */
export const scoreBands = ['0-9', '10-19', '20-29', '30-39', '40-49', '50-59', '60-69', '70-79', '80-89', '90-100'] as const;
export const scoreBand = (score: number): (typeof scoreBands)[number] => scoreBands[Math.min(9, Math.floor(score / 10))]!;

/** What the run lists as its current step while a manager's graduation decision is awaited. */
export const graduationDecisionStep = 'graduation-decision';
