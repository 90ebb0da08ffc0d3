import { z } from 'zod';
import { AgencySchema, agencyStepKinds, stepContractOf } from './agency';
import { IsoDurationSchema } from './duration';
import { GraduationSchema, graduationDecisionStep } from './graduation';
import { visitPhaseOf } from './graduation-steps';
import { titleSchema } from './label';
import { RegionPrefixSchema } from './household';
import { ReceivedKindSchema, StepKindSchema } from './step-kind';
import { ProgramIdSchema, StepKeySchema } from './ids';
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

export const ProgramPlanSchema = z
  .object({
    programId: ProgramIdSchema,
    version: z.number().int().min(1),
    title: titleSchema(200),
    steps: z.array(PlanStepSchema).min(1).max(30),
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
      if (visitPhaseOf(step.key) !== 'planned' || step.key === graduationDecisionStep) ctx.addIssue({ code: 'custom', path: ['steps', i, 'key'], message: `"${step.key}" is kept for the visits a graduation adds` });
      const contract = stepContractOf(step.agency, step.kind);
      if (!contract) {
        ctx.addIssue({
          code: 'custom',
          path: ['steps', i, 'agency'],
          message: `${step.agency} cannot do a ${step.kind} step (it does: ${agencyStepKinds[step.agency].join(', ')})`,
        });
        return;
      }
      // What the agency will need when the task opens, so a plan cannot fail only weeks into its runs.
      for (const issue of contract.parameters.safeParse(step.parameters).error?.issues ?? []) {
        ctx.addIssue({ code: 'custom', path: ['steps', i, 'parameters', ...issue.path], message: issue.message });
      }
    });
    // The decision scores what follow-up visits report, and extensions repeat the last of them.
    if (plan.graduation && !plan.steps.some((s) => s.kind === 'follow-up-visit')) {
      ctx.addIssue({ code: 'custom', path: ['graduation'], message: 'needs a follow-up-visit step: its evidence decides graduation' });
    }
  });
export type ProgramPlan = z.infer<typeof ProgramPlanSchema>;
