import { z } from 'zod';
import { AgencySchema } from './agency';
import type { StepKind } from './step-kind';
import { IndicatorValueSchema } from './graduation';
import { CriterionKeySchema } from './ids';
import { WelfareStatusSchema } from './welfare-status';

const RupiahSchema = z.number().int().positive();

/** What an agency reports when it completes a task, per step kind. */
export const taskResultSchemas = {
  'aid-disbursement': z.object({ amount: RupiahSchema, transferReference: z.string().min(1).max(100) }),
  'job-training': z.object({
    attendancePercent: z.number().min(0).max(100),
    passed: z.boolean(),
    certificateNumber: z.string().min(1).max(100).optional(),
  }),
  'micro-capital': z.object({
    amount: RupiahSchema,
    scheme: z.string().min(1).max(40),
    accountNumber: z.string().min(1).max(40),
  }),
  'follow-up-visit': z
    .object({
      /** A plan without graduation criteria: the welfare status the facilitator observed, which the run takes. */
      observedWelfareStatus: WelfareStatusSchema.optional(),
      /** A plan with graduation criteria: each indicator the request asked for, by criterion key. */
      indicators: z.record(CriterionKeySchema, IndicatorValueSchema).optional(),
      visitedOn: z.iso.date().optional(),
      notes: z.string().max(2000).optional(),
    })
    .refine((r) => r.observedWelfareStatus !== undefined || r.indicators !== undefined, {
      path: ['indicators'],
      message: 'report the indicators the request asked for (or, under a plan without criteria, observedWelfareStatus)',
    }),
} satisfies Record<StepKind, z.ZodType>;
export type TaskResult = z.infer<(typeof taskResultSchemas)[StepKind]>;

export const TaskOutcomeKindSchema = z.enum(['completed', 'rejected', 'failed']);
export type TaskOutcomeKind = z.infer<typeof TaskOutcomeKindSchema>;

/** An outcome as the run receives it (the reportOutcome update's argument). */
export const TaskOutcomeSchema = z.object({
  taskId: z.string().min(1),
  agency: AgencySchema,
  outcome: TaskOutcomeKindSchema,
  /** Kind-specific result of a completed task; checked against the step's kind by the run. */
  result: z.record(z.string(), z.unknown()).optional(),
  reason: z.string().min(1).max(2000).optional(),
  reportedAt: z.iso.datetime(),
  /** Where the outcome came from: the webhook id, or the adapter's synchronous answer. */
  source: z.string().min(1),
});
export type TaskOutcome = z.infer<typeof TaskOutcomeSchema>;

export const TaskProgressKindSchema = z.enum(['acknowledged', 'progress']);

/** An agency's news about a task that is not finished: received, started, attendance so far... */
export const TaskProgressSchema = z.object({
  taskId: z.string().min(1),
  agency: AgencySchema,
  kind: TaskProgressKindSchema,
  data: z.record(z.string(), z.unknown()).optional(),
  note: z.string().max(2000).optional(),
  reportedAt: z.iso.datetime(),
  source: z.string().min(1),
});
export type TaskProgress = z.infer<typeof TaskProgressSchema>;
