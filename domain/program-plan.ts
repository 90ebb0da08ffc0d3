import { z } from 'zod';
import type { StepContract } from '../agencies/agency-definition';
import { agencies, AgencySchema, agencyStepKinds, stepContractOf, type Agency } from './agency';
import { IsoDurationSchema } from './duration';
import { GraduationSchema, graduationDecisionStep } from './graduation';
import { addedVisitKeys } from './graduation-steps';
import { titleSchema } from './label';
import { RegionPrefixSchema } from './household';
import { ReceivedKindSchema, StepKindSchema, type StepKind } from './step-kind';
import { ProgramIdSchema, slugPattern, StepKeySchema } from './ids';
import { statedInDocument } from './stated-rule';
import { WelfareStatusSchema } from './welfare-status';

/** What a rejection by the agency means for the run. */
export const RejectionRuleSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('stop') }),
  z.object({ action: z.literal('skip') }),
  z.object({
    action: z.literal('retry'),
    maxRetries: z.number().int().min(1).max(10),
    /** What happens when the last retry is rejected too. */
    then: z.enum(['stop', 'skip']).default('stop'),
  }),
]);
export type RejectionRule = z.infer<typeof RejectionRuleSchema>;

export const PlanStepSchema = z.object({
  key: StepKeySchema,
  agency: AgencySchema,
  kind: StepKindSchema,
  /** What people read for the step; a label gives it in Bahasa Indonesia and English. */
  title: titleSchema(120),
  sla: IsoDurationSchema,
  /**
   * How the SLA's days (and weeks) count: `calendar` as elapsed time, `working` as working days in the household's
   * region (Monday to Friday without national holidays and cuti bersama; P1W is five), ending at office closing.
   */
  slaDays: z.enum(['calendar', 'working']).default('calendar'),
  /** Passed to the agency with the task (programme code, amount, course...). */
  parameters: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
  onRejection: RejectionRuleSchema,
  /**
   * Whether an agency's acknowledgement or progress report counts as news: if so, the SLA
   * restarts from the latest report; if not (default), only the outcome stops the clock.
   */
  slaRestartsOnProgress: z.boolean().default(false),
  /** When the agency's focal point is reminded, as a share of the SLA. */
  reminderShare: z.number().min(0.1).max(0.99).default(0.8),
  /** How long a step stays stuck before the level above the regional manager is told. */
  escalateAfter: IsoDurationSchema.default('P3D'),
});
export type PlanStep = z.infer<typeof PlanStepSchema>;

/** The keys a graduation gives the visits it adds, and the decision it awaits: a plan's own steps may not take them. */
const reservedStepKey = new RegExp(`^(?:${addedVisitKeys}|${graduationDecisionStep})$`);
const PlanStepKeySchema = StepKeySchema.refine((key) => !reservedStepKey.test(key), {
  error: (issue) => `"${String(issue.input)}" is kept for the visits a graduation adds`,
  params: statedInDocument,
}).meta({
  pattern: `^(?!(?:${addedVisitKeys}|${graduationDecisionStep})$)${slugPattern}$`,
});

type JsonObjectSchema = { properties?: Record<string, unknown>; required?: string[] };

/**
 * A step of one kind at the agencies that share one contract for it: the agency is one of them,
 * and `parameters` what the contract asks. The parameters are kept as given (the adapter applies
 * the contract's defaults when the task opens); the API document states the contract.
 */
function stepAt(kind: StepKind, at: readonly Agency[], contract: StepContract) {
  const { properties, required = [] } = z.toJSONSchema(contract.parameters, { io: 'input', unrepresentable: 'any' }) as JsonObjectSchema;
  const parameters = PlanStepSchema.shape.parameters.unwrap().meta({ properties, required });
  return PlanStepSchema.extend({
    key: PlanStepKeySchema,
    kind: z.literal(kind),
    agency: z.enum(at as [Agency, ...Agency[]], {
      error: (issue) => (agencies.includes(issue.input as Agency) ? `${String(issue.input)} cannot do a ${kind} step (it does: ${agencyStepKinds[issue.input as Agency].join(', ')})` : undefined),
    }),
    // A contract that needs a parameter needs `parameters`; otherwise it may be left out.
    parameters: required.length > 0 ? parameters : parameters.default({}),
  }).superRefine((step, ctx) => {
    // What the agency will need when the task opens, so a plan cannot fail only weeks into its runs.
    // The document states the contract's fields and types, not a rule across them (a visit within its count).
    for (const issue of contract.parameters.safeParse(step.parameters).error?.issues ?? []) {
      ctx.addIssue({ code: 'custom', path: ['parameters', ...issue.path], message: issue.message, ...(issue.code !== 'custom' && { params: statedInDocument }) });
    }
  });
}

/** The agencies that do the kind, grouped by the contract they share for it (one group unless their APIs differ). */
function contractsFor(kind: StepKind): { at: Agency[]; contract: StepContract }[] {
  const groups: { at: Agency[]; contract: StepContract }[] = [];
  for (const agency of agencies) {
    const contract = stepContractOf(agency, kind);
    if (!contract) continue;
    const group = groups.find((g) => g.contract.parameters === contract.parameters);
    if (group) group.at.push(agency);
    else groups.push({ at: [agency], contract });
  }
  return groups;
}

type StepAtSchema = ReturnType<typeof stepAt>;

/**
 * A plan step as a plan gives it: by kind, the agencies that do that kind and the parameters their
 * contract asks, so the API document says which fit together. Parsed into a PlanStep.
 */
const PlanStepInputSchema = z
  .discriminatedUnion(
    'kind',
    // A kind whose agencies differ in contract is a union by agency of steps of that kind: typed as one of them.
    StepKindSchema.options.flatMap((kind) => {
      const groups = contractsFor(kind).map(({ at, contract }) => stepAt(kind, at, contract));
      return groups.length < 2 ? groups : [z.discriminatedUnion('agency', groups as [StepAtSchema, ...StepAtSchema[]]) as unknown as StepAtSchema];
    }) as [StepAtSchema, ...StepAtSchema[]],
  )
  .transform((step): PlanStep => step);

/** Who a rollout of the program may enrol; a household outside these is excluded with the reason. */
export const EligibilitySchema = z.object({
  /** The poorest deciles of the national registry (DTSEN), 1 = poorest tenth. */
  maxDecile: z.number().int().min(1).max(10).default(10),
  welfareStatuses: z.array(WelfareStatusSchema).min(1).default(WelfareStatusSchema.options),
  /** Region prefixes covered (province 35, regency 35.09...); absent means everywhere. */
  regions: z.array(RegionPrefixSchema).min(1).optional(),
  /**
   * Households given one of these kinds, by a run of any program that has ended within the period,
   * are excluded (`recently-received`). Absent: a plan with a micro-capital step excludes those given
   * micro-capital within 52 weeks (defaultNotReceivedWithin); null: no such rule.
   */
  notReceivedWithin: z
    .object({ kinds: z.array(ReceivedKindSchema).min(1), period: IsoDurationSchema })
    .nullable()
    .optional(),
});
export type Eligibility = z.infer<typeof EligibilitySchema>;
export type NotReceivedWithin = NonNullable<Eligibility['notReceivedWithin']>;

export const defaultNotReceivedWithin: NotReceivedWithin = { kinds: ['micro-capital'], period: 'P52W' };

/** The plan's recently-received rule, its default applied; undefined when it has none. */
export function notReceivedWithinOf(plan: { eligibility: Eligibility; steps: readonly { kind: string }[] }): NotReceivedWithin | undefined {
  const rule = plan.eligibility.notReceivedWithin;
  if (rule !== undefined) return rule ?? undefined;
  return plan.steps.some((s) => s.kind === 'micro-capital') ? defaultNotReceivedWithin : undefined;
}

/** What a 422 to a plan means: it has the document's form, and breaks a rule across its fields that no schema states. */
export const unstatedPlanRules =
  'breaks a rule across its fields that the schema cannot state (fields names each): step, criterion and choice keys each unique, a criterion met by choices it offers, given atLeast or atMost and atMost not below atLeast, a visit not beyond its count';

/** A program's version: the catalog's numbers, 1 up (the same bound as in a version's path). */
export const ProgramVersionSchema = z.number().int().min(1).max(1_000_000);

export const ProgramPlanSchema = z
  .object({
    programId: ProgramIdSchema,
    version: ProgramVersionSchema,
    title: titleSchema(200),
    steps: z.array(PlanStepInputSchema).min(1).max(30),
    eligibility: EligibilitySchema.default({ maxDecile: 10, welfareStatuses: WelfareStatusSchema.options }),
    /**
     * A household in an active run of another program with a step of the same kind (two
     * micro-capital programs at once): excluded from the rollout, or enrolled and flagged.
     */
    overlapPolicy: z.enum(['exclude', 'flag']).default('exclude'),
    /** How the last follow-up visit's evidence decides graduation; without it the run ends with its last step. */
    graduation: GraduationSchema.optional(),
  })
  .superRefine((plan, ctx) => {
    const seen = new Set<string>();
    plan.steps.forEach((step, i) => {
      if (seen.has(step.key)) ctx.addIssue({ code: 'custom', path: ['steps', i, 'key'], message: `duplicate step key "${step.key}"` });
      seen.add(step.key);
    });
    // The decision scores what follow-up visits report, and extensions repeat the last of them.
    if (plan.graduation && !plan.steps.some((s) => s.kind === 'follow-up-visit')) {
      ctx.addIssue({ code: 'custom', path: ['graduation'], message: 'needs a follow-up-visit step: its evidence decides graduation', params: statedInDocument });
    }
  })
  .meta({
    // The last rule above, for the API document: a plan with graduation has a follow-up-visit step.
    if: { required: ['graduation'] },
    then: { properties: { steps: { contains: { properties: { kind: { const: 'follow-up-visit' } } } } } },
  });
export type ProgramPlan = z.infer<typeof ProgramPlanSchema>;
