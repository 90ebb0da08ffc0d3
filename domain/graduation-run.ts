import { assess, decide, graduationDecisionStep, isReady, VisitEvidenceSchema, type Graduation, type GraduationDecision } from './graduation';
import { afterGraduationStepKey, extensionStepKey, runStepOf, visitPhaseOf } from './graduation-steps';
import { durationToMs } from './duration';
import type { PlanStep, ProgramPlan } from './program-plan';
import { pendingStepState, type AssessmentRecord, type GraduationState, type OperationRecord, type RunState } from './run-state';
import type { StepDeadline } from './run-machine';
import type { SlaNotice } from './sla-notice';
import type { VisitRequest } from './task-request';
import { rungDown, rungUp } from './welfare-status';

/**
 * What graduation does to a run's state, as run-machine.ts does for steps: pure, the time comes
 * in as `now`. The household-run workflow decides when (after the last planned visit, on the
 * timers after graduation).
 */

export const initialGraduationState = (plan: ProgramPlan): GraduationState | undefined =>
  plan.graduation ? { evidence: [], assessments: [], extensionsUsed: 0 } : undefined;

/** A follow-up visit's part of its task request under a plan with criteria: which visit, and what to report. */
export function visitRequestOf(plan: ProgramPlan, step: Pick<PlanStep, 'key' | 'kind'>): VisitRequest | undefined {
  if (step.kind !== 'follow-up-visit' || !plan.graduation) return undefined;
  return { phase: visitPhaseOf(step.key), report: plan.graduation.criteria.map(({ key, label, indicator, mandatory }) => ({ key, label, indicator, mandatory })) };
}

/** Keeps a completed visit's findings as evidence; answers whether they were evidence (indicators reported). */
export function recordEvidence(state: RunState, stepKey: string, result: Record<string, unknown> | undefined, now: Date): boolean {
  if (!state.graduation) return false;
  const evidence = VisitEvidenceSchema.safeParse({ stepKey, visitedOn: result?.visitedOn ?? now.toISOString().slice(0, 10), indicators: result?.indicators });
  if (!evidence.success) return false;
  state.graduation.evidence.push(evidence.data);
  return true;
}

function record(graduation: Graduation, state: GraduationState, stepKey: string, evidence: GraduationState['evidence'], now: Date): AssessmentRecord {
  const entry: AssessmentRecord = { ...assess(graduation, evidence), stepKey, at: now.toISOString() };
  state.assessments.push(entry);
  return entry;
}

/**
 * After the last planned (or extension) visit: scores all the evidence so far. The score's
 * decision stands, unless the plan has a manager decide: then it is proposed, with the options
 * and the time by which the manager's decision is due, `approvalDue`: the plan's approval SLA
 * counted from `now` as a step's is (run-machine stepDeadline: in the region's zone, in working
 * days where `approval.slaDays` says), with how it was counted.
 */
export function assessForDecision(state: RunState, plan: ProgramPlan, now: Date, approvalDue: StepDeadline): AssessmentRecord {
  const graduation = plan.graduation!;
  const g = state.graduation!;
  const entry = record(graduation, g, state.steps.at(-1)!.key, g.evidence, now);
  const decision = decide(graduation, entry, g.extensionsUsed);
  if (!graduation.approval.required) {
    entry.decision = decision;
    return entry;
  }
  entry.proposed = decision;
  entry.options = g.extensionsUsed < graduation.extensions.max ? ['graduate', 'extend', 'exit'] : ['graduate', 'exit'];
  entry.approvalDeadline = approvalDue.at.toISOString();
  if (approvalDue.basis) entry.approvalDeadlineBasis = approvalDue.basis;
  return entry;
}

/** The e-mail to the region's manager when an awaited decision passes its approval deadline: what was proposed, on what score, by when. */
export function decisionOverdueNotice(state: RunState, plan: ProgramPlan, entry: AssessmentRecord): SlaNotice {
  return {
    kind: 'decision-overdue',
    runId: state.runId,
    rolloutId: state.rolloutId,
    region: state.region,
    stepKey: graduationDecisionStep,
    deadline: entry.approvalDeadline!,
    ...(entry.approvalDeadlineBasis && { deadlineBasis: entry.approvalDeadlineBasis }),
    decision: {
      proposed: entry.proposed!,
      options: entry.options ?? [],
      score: entry.score,
      readinessThreshold: plan.graduation!.readinessThreshold,
      mandatoryMet: entry.mandatoryMet,
      assessedAfter: entry.stepKey,
    },
  };
}

/** A manager's decision on the awaited assessment (checked by checkOperation), recorded with who and why. */
export function decideAwaitedGraduation(state: RunState, op: { decision: GraduationDecision; reason: string; actor: string }, now: Date): OperationRecord {
  const entry = state.graduation!.assessments.at(-1)!;
  entry.decision = op.decision;
  entry.decidedBy = op.actor;
  const record: OperationRecord = { op: 'decide-graduation', reason: op.reason, actor: op.actor, at: now.toISOString(), detail: op.decision };
  state.operations = [...(state.operations ?? []), record];
  return record;
}

/**
 * What a decision does. Graduating moves the welfare status one rung up and schedules the
 * visits after graduation; exiting leaves it; extending adds the extension's visits to the run,
 * to be run next.
 */
export function applyGraduationDecision(state: RunState, plan: ProgramPlan, decision: GraduationDecision, now: Date): void {
  const graduation = plan.graduation!;
  const g = state.graduation!;
  if (decision === 'extend') {
    g.extensionsUsed += 1;
    for (let visit = 1; visit <= graduation.extensions.visits; visit++) state.steps.push(pendingStepState(runStepOf(plan, extensionStepKey(g.extensionsUsed, visit))!));
    return;
  }
  g.outcome = decision === 'graduate' ? 'graduated' : 'exited';
  g.decidedAt = now.toISOString();
  if (decision === 'graduate') {
    state.welfareStatus.current = rungUp(state.welfareStatus.current);
    // The visits after graduation, each due at its time from now.
    graduation.afterGraduation.forEach((after, i) => {
      state.steps.push({ ...pendingStepState(runStepOf(plan, afterGraduationStepKey(i + 1))!), notBefore: new Date(now.getTime() + durationToMs(after)).toISOString() });
    });
  }
}

/**
 * A visit after graduation: its own findings alone against the bar. Below it, the household has
 * relapsed: the welfare status moves one rung down, once.
 */
export function checkAfterGraduation(state: RunState, plan: ProgramPlan, stepKey: string, now: Date): AssessmentRecord {
  const g = state.graduation!;
  const entry = record(plan.graduation!, g, stepKey, g.evidence.filter((e) => e.stepKey === stepKey), now);
  entry.relapsed = !isReady(plan.graduation!, entry);
  if (entry.relapsed && !g.relapsedAt) {
    g.relapsedAt = now.toISOString();
    state.welfareStatus.current = rungDown(state.welfareStatus.current);
  }
  return entry;
}
