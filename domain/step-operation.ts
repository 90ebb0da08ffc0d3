import { z } from 'zod';
import { AgencySchema, agencyCanDo } from './agency';
import { IsoDurationSchema } from './duration';
import { FailureType } from './failure-types';
import { StepKeySchema } from './ids';
import { reasonText } from './text';
import { OperationNameSchema, type OperationName } from './operation-name';
import { GraduationDecisionSchema } from './graduation';
import type { AssessmentRecord, RunState, StepState } from './run-state';

/** Every operation needs a reason, kept in the run's state and history. */
export const ReasonSchema = reasonText(1000, 'give a reason (at least 3 characters other than spaces)');

/** What each operation carries besides its name (and, on a step, the step's key): the API's bodies are these. */
export const operationFields = {
  retry: { reason: ReasonSchema },
  skip: { reason: ReasonSchema },
  extend: { reason: ReasonSchema, extendBy: IsoDurationSchema },
  reassign: { reason: ReasonSchema, agency: AgencySchema },
  cancel: { reason: ReasonSchema },
  'decide-graduation': { decision: GraduationDecisionSchema, reason: ReasonSchema },
} satisfies Record<OperationName, z.ZodRawShape>;

/** What a manager may do to a run, each with a reason. */
export const StepOperationSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal(OperationNameSchema.enum.retry), stepKey: StepKeySchema, ...operationFields.retry }),
  z.object({ op: z.literal(OperationNameSchema.enum.skip), stepKey: StepKeySchema, ...operationFields.skip }),
  z.object({ op: z.literal(OperationNameSchema.enum.extend), stepKey: StepKeySchema, ...operationFields.extend }),
  z.object({ op: z.literal(OperationNameSchema.enum.reassign), stepKey: StepKeySchema, ...operationFields.reassign }),
  z.object({ op: z.literal(OperationNameSchema.enum.cancel), ...operationFields.cancel }),
  z.object({ op: z.literal(OperationNameSchema.enum['decide-graduation']), ...operationFields['decide-graduation'] }),
]);
export type StepOperation = z.infer<typeof StepOperationSchema>;

/** An operation as the run receives it: who asked, and when. */
export type OperationRequest = StepOperation & { actor: string; requestedAt: string };

export type OperationCheck = { ok: true; step?: StepState } | { ok: false; type: string; message: string };

const operable = new Set(['opening', 'open', 'failed']);

/**
 * Whether the run can take the operation now: the run is going, the step is the current one
 * and in a state the operation applies to. Pure, for the update validator and tests.
 */
export function checkOperation(state: RunState, op: OperationRequest): OperationCheck {
  const parsed = StepOperationSchema.safeParse(op);
  if (!parsed.success) return { ok: false, type: FailureType.InvalidOperation, message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
  if (state.status !== 'running') return { ok: false, type: FailureType.InvalidOperation, message: `the run is already ${state.status}` };
  if (op.op === 'cancel') return { ok: true };
  if (op.op === 'decide-graduation') {
    const awaiting = awaitingDecision(state);
    if (!awaiting) return { ok: false, type: FailureType.InvalidOperation, message: 'no graduation decision is awaiting a manager' };
    if (!awaiting.options?.includes(op.decision)) return { ok: false, type: FailureType.InvalidOperation, message: `the decision may be: ${awaiting.options?.join(', ')}` };
    return { ok: true };
  }
  const step = state.steps.find((s) => s.key === op.stepKey);
  if (!step) return { ok: false, type: FailureType.InvalidOperation, message: `the plan has no step ${op.stepKey}` };
  if (state.currentStep !== step.key || !operable.has(step.status)) {
    return { ok: false, type: FailureType.InvalidOperation, message: `step ${step.key} is ${step.status}, not the open step` };
  }
  if (op.op === 'extend' && step.status !== 'open') return { ok: false, type: FailureType.InvalidOperation, message: `step ${step.key} has no deadline to extend (it is ${step.status})` };
  if (op.op === 'reassign') {
    if (op.agency === step.agency) return { ok: false, type: FailureType.InvalidOperation, message: `step ${step.key} is already at ${op.agency}` };
    if (!agencyCanDo(op.agency, step.kind)) return { ok: false, type: FailureType.InvalidOperation, message: `${op.agency} cannot do a ${step.kind} step` };
  }
  return { ok: true, step };
}

/** The assessment whose decision a manager is to take, if one is awaited. */
export function awaitingDecision(state: RunState): AssessmentRecord | undefined {
  const last = state.graduation?.assessments.at(-1);
  return last?.proposed && !last.decision ? last : undefined;
}
