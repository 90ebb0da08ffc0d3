import { z } from 'zod';
import { AgencySchema, StepKindSchema, agencyCanDo, agencyStepKinds } from './agency';
import { IsoDurationSchema } from './duration';

const SlugSchema = z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'must be lowercase letters, digits and dashes');

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
  key: SlugSchema,
  agency: AgencySchema,
  kind: StepKindSchema,
  title: z.string().trim().min(1).max(120),
  sla: IsoDurationSchema,
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

export const ProgramPlanSchema = z
  .object({
    programId: SlugSchema,
    version: z.number().int().min(1),
    title: z.string().trim().min(1).max(200),
    steps: z.array(PlanStepSchema).min(1).max(30),
  })
  .superRefine((plan, ctx) => {
    const seen = new Set<string>();
    plan.steps.forEach((step, i) => {
      if (seen.has(step.key)) ctx.addIssue({ code: 'custom', path: ['steps', i, 'key'], message: `duplicate step key "${step.key}"` });
      seen.add(step.key);
      if (!agencyCanDo(step.agency, step.kind)) {
        ctx.addIssue({
          code: 'custom',
          path: ['steps', i, 'agency'],
          message: `${step.agency} cannot do a ${step.kind} step (it does: ${agencyStepKinds[step.agency].join(', ')})`,
        });
      }
    });
  });
export type ProgramPlan = z.infer<typeof ProgramPlanSchema>;
