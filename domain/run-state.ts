import { z } from 'zod';
import { AssessmentSchema, GraduationDecisionSchema, VisitEvidenceSchema } from './graduation';
import { titleSchema } from './label';
import { AgencySchema } from './agency';
import { FamilyCardNumberSchema, VillageCodeSchema } from './household';
import { ProgramIdSchema, RolloutIdSchema, RunIdSchema, StepKeySchema, TaskIdSchema } from './ids';
import { OperationNameSchema } from './operation-name';
import { StepKindSchema } from './step-kind';
import { TaskOutcomeKindSchema, TaskProgressKindSchema } from './task-outcome';
import { WelfareStatusSchema } from './welfare-status';

/*
 * The run builds its state (domain/run-machine.ts) and never parses it: these schemas are its type
 * and what the API documents where it answers it (GET /v1/runs/{id}, the operations), so they say
 * exactly what the run writes. A field the run has not set is absent from the JSON.
 */

/** Every time in the state comes from Date#toISOString. */
const TimeSchema = z.iso.datetime();

export const StepStatusSchema = z.enum(['pending', 'opening', 'open', 'completed', 'rejected', 'failed', 'skipped', 'cancelled']);
export type StepStatus = z.infer<typeof StepStatusSchema>;

export const RunStatusSchema = z.enum(['running', 'completed', 'rejected', 'failed', 'cancelled']);
export type RunStatus = z.infer<typeof RunStatusSchema>;

/** A step's reminder, breach and escalation; decision-overdue: a graduation decision past its approval deadline. */
export const NoticeKindSchema = z.enum(['reminder', 'breach', 'escalation', 'decision-overdue']);
export type NoticeKind = z.infer<typeof NoticeKindSchema>;

export const NoticeSchema = z.object({
  kind: NoticeKindSchema,
  at: TimeSchema,
  recipients: z.number().int().min(0).optional(),
  error: z.string().optional().meta({ description: 'why it could not be sent, after retries' }),
});
export type Notice = z.infer<typeof NoticeSchema>;

export const ProgressEntrySchema = z.object({
  kind: TaskProgressKindSchema,
  at: TimeSchema,
  data: z.record(z.string(), z.unknown()).optional(),
  note: z.string().optional(),
  source: z.string().meta({ description: 'the webhook id that brought it' }),
});
export type ProgressEntry = z.infer<typeof ProgressEntrySchema>;

export const DeadlineBasisSchema = z.object({
  days: z.enum(['calendar', 'working']).meta({ description: "calendar: elapsed time; working: the plan's days counted as working days (hari kerja)" }),
  zone: z.enum(['WIB', 'WITA', 'WIT']).meta({ description: "the region's zone the deadline was counted in" }),
  notDecreed: z
    .array(z.object({ year: z.number().int(), counting: z.enum(['provisional', 'weekends-only']) }))
    .optional()
    .meta({ description: 'years counted without their joint decree (estimated days off, or weekends only): the deadline is provisional' }),
});
export type DeadlineBasis = z.infer<typeof DeadlineBasisSchema>;

export const AttemptStateSchema = z.object({
  attempt: z.number().int().min(1),
  taskId: TaskIdSchema,
  agency: AgencySchema.optional().meta({ description: "the agency asked (a reassigned step's later attempts go elsewhere)" }),
  openedAt: TimeSchema.optional(),
  deadline: TimeSchema.optional(),
  deadlineBasis: DeadlineBasisSchema.optional().meta({ description: "how the deadline was counted; absent for runs started before deadlines followed the region's zone and holidays" }),
  closedAt: TimeSchema.optional(),
  outcome: TaskOutcomeKindSchema.optional(),
  result: z.record(z.string(), z.unknown()).optional().meta({ description: "the agency's result, as it reported it" }),
  reason: z.string().optional(),
  closedBy: z.string().optional().meta({ description: 'the webhook id (or "adapter") that closed this attempt' }),
  agencyReference: z.string().optional().meta({ description: "the agency's own reference for the task, if it gave one" }),
  acknowledgedAt: TimeSchema.optional(),
  progress: z.array(ProgressEntrySchema).optional().meta({ description: "the agency's progress reports, oldest first (the latest 50 are kept)" }),
  supersededBy: OperationNameSchema.exclude(['extend', 'decide-graduation'])
    .optional()
    .meta({ description: "the manager's operation that ended this attempt before its outcome" }),
  withdrawnAt: TimeSchema.optional().meta({ description: 'when the superseded task was withdrawn at its agency' }),
  withdrawalError: z.string().optional().meta({ description: 'why the superseded task could not be withdrawn' }),
  notices: z.array(NoticeSchema).optional().meta({ description: 'reminder, breach and escalation notices sent (or that could not be sent) for this attempt' }),
}).meta({ id: 'AttemptState' });
export type AttemptState = z.infer<typeof AttemptStateSchema>;

export const StepStateSchema = z.object({
  key: StepKeySchema,
  agency: AgencySchema,
  kind: StepKindSchema,
  title: titleSchema(120),
  status: StepStatusSchema,
  taskId: TaskIdSchema.optional().meta({ description: "the current (latest) attempt's task id" }),
  startedAt: TimeSchema.optional(),
  finishedAt: TimeSchema.optional(),
  stuck: z.boolean(),
  attempts: z.array(AttemptStateSchema),
  notBefore: TimeSchema.optional().meta({ description: 'a visit after graduation: when it is due (it waits on a durable timer until then)' }),
}).meta({ id: 'StepState' });
export type StepState = z.infer<typeof StepStateSchema>;

export const OperationRecordSchema = z.object({
  op: OperationNameSchema,
  stepKey: StepKeySchema.optional().meta({ description: "absent for cancel, which is the whole run's" }),
  reason: z.string(),
  actor: z.string(),
  at: TimeSchema,
  detail: z.string().optional().meta({ description: 'extend: the new deadline; reassign: the new agency' }),
});
export type OperationRecord = z.infer<typeof OperationRecordSchema>;

/** One scoring of the evidence: the decision after the last planned (or extension) visit, or a check after graduation. */
export const AssessmentRecordSchema = AssessmentSchema.extend({
  stepKey: StepKeySchema.meta({ description: 'the visit after which it was made' }),
  at: TimeSchema,
  decision: GraduationDecisionSchema.optional().meta({ description: 'after the last planned or extension visit (absent while a manager is to decide)' }),
  proposed: GraduationDecisionSchema.optional().meta({ description: "what the score proposed, where the plan has a manager approve each decision" }),
  options: z.array(GraduationDecisionSchema).optional().meta({ description: 'the decisions the manager may take (extend only while extensions remain)' }),
  approvalDeadline: TimeSchema.optional().meta({ description: "by when the manager's decision is due; the run is stuck after it" }),
  approvalDeadlineBasis: DeadlineBasisSchema.optional().meta({
    description: "how the approval deadline was counted, as an attempt's deadlineBasis; absent for decisions awaited before it followed the region's zone and holidays",
  }),
  notices: z.array(NoticeSchema).optional().meta({ description: "the decision-overdue notice to the region's manager once the approval deadline passed (sent, or why it could not be)" }),
  decidedBy: z.string().optional().meta({ description: 'the manager who decided, with the reason in the operations' }),
  relapsed: z.boolean().optional().meta({ description: 'after graduation: the household no longer meets the bar' }),
});
export type AssessmentRecord = z.infer<typeof AssessmentRecordSchema>;

/** A run whose plan has a graduation section: the evidence, every assessment, and where it led. */
export const GraduationStateSchema = z.object({
  evidence: z.array(VisitEvidenceSchema).meta({ description: "every completed follow-up visit's findings, in order" }),
  assessments: z.array(AssessmentRecordSchema),
  extensionsUsed: z.number().int().min(0),
  outcome: z.enum(['graduated', 'exited']).optional(),
  decidedAt: TimeSchema.optional(),
  relapsedAt: TimeSchema.optional().meta({ description: 'when a visit after graduation found the household below the bar again' }),
});
export type GraduationState = z.infer<typeof GraduationStateSchema>;

/** What runStateQuery returns (and the run's result): the whole state of one household's run. */
export const RunStateSchema = z.object({
  runId: RunIdSchema,
  rolloutId: RolloutIdSchema,
  programId: ProgramIdSchema,
  programVersion: z.number().int().min(1),
  householdId: FamilyCardNumberSchema,
  region: VillageCodeSchema,
  status: RunStatusSchema,
  currentStep: StepKeySchema.optional(),
  startedAt: TimeSchema,
  finishedAt: TimeSchema.optional(),
  welfareStatus: z.object({ before: WelfareStatusSchema, current: WelfareStatusSchema }),
  paused: z.boolean().optional().meta({ description: 'the rollout is paused: the task under way finishes, no new one opens' }),
  steps: z.array(StepStateSchema),
  operations: z.array(OperationRecordSchema).optional().meta({ description: "managers' operations, in order, each with who, when and why" }),
  graduation: GraduationStateSchema.optional(),
}).meta({ id: 'RunState' });
export type RunState = z.infer<typeof RunStateSchema>;

/** A step not started yet, as the run lists it from its plan step. */
export function pendingStepState(step: { key: string; agency: StepState['agency']; kind: StepState['kind']; title: StepState['title'] }): StepState {
  return { key: step.key, agency: step.agency, kind: step.kind, title: step.title, status: 'pending', stuck: false, attempts: [] };
}
