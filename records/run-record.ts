import { graduationDecisionStep, scoreBand } from '../domain/graduation';
import type { RunRecordInput } from '../domain/records';
import { ReceivedKindSchema } from '../domain/step-kind';

/** A run's record as written, with the household's pseudonym (its id in Temporal) the worker computed. */
export type RunRecord = RunRecordInput & { householdKey: string };

/** A step's record, one row per attempt. */
export function attemptRows(input: RunRecord) {
  return input.state.steps.flatMap((step) =>
    step.attempts.map((a) => {
      const reported = typeof a.result?.amount === 'number' ? a.result.amount : undefined;
      const planned = input.plannedAmounts?.[step.key];
      return {
        step_key: step.key,
        attempt: a.attempt,
        kind: step.kind,
        agency: a.agency ?? step.agency,
        task_id: a.taskId,
        opened_at: a.openedAt ?? null,
        deadline: a.deadline ?? null,
        closed_at: a.closedAt ?? null,
        outcome: a.outcome ?? null,
        amount: ReceivedKindSchema.safeParse(step.kind).success ? (reported ?? planned ?? null) : null,
        agency_reference: a.agencyReference ?? null,
        closed_by: a.closedBy ?? null,
        superseded_by: a.supersededBy ?? null,
      };
    }),
  );
}

/** The run's columns: where it stands, without personal data (the sealed state holds that). */
export function runColumns(input: RunRecord) {
  const { state, stuckSince } = input;
  const step = state.steps.find((s) => s.key === state.currentStep);
  const attempt = step?.attempts.at(-1);
  const open = state.status === 'running';
  const g = state.graduation;
  const decided = g?.assessments.filter((a) => a.decision).at(-1);
  const awaiting = open ? g?.assessments.find((a) => !a.decision && a.approvalDeadline) : undefined;
  const stuck = open && stuckSince !== undefined;
  return {
    run_id: state.runId,
    rollout_id: state.rolloutId,
    program_id: state.programId,
    program_version: state.programVersion,
    household_key: input.householdKey,
    region: state.region,
    status: state.status,
    current_step: awaiting ? graduationDecisionStep : (state.currentStep ?? null),
    current_agency: open && !awaiting ? (attempt?.agency ?? step?.agency ?? null) : null,
    current_task_id: open && !awaiting ? (attempt?.taskId ?? null) : null,
    step_deadline: open ? (awaiting?.approvalDeadline ?? (attempt && !attempt.closedAt ? (attempt.deadline ?? null) : null)) : null,
    stuck,
    stuck_since: stuck ? stuckSince! : null,
    welfare_before: state.welfareStatus.before,
    welfare_after: state.welfareStatus.current,
    received: [...new Set(state.steps.filter((s) => s.status === 'completed' && ReceivedKindSchema.safeParse(s.kind).success).map((s) => s.kind))],
    graduation_outcome: g?.outcome ?? null,
    graduation_extended: (g?.extensionsUsed ?? 0) > 0,
    relapsed: Boolean(g?.relapsedAt),
    score_band: decided ? scoreBand(decided.score) : null,
    criteria_met: decided ? decided.results.filter((r) => r.met).map((r) => r.key) : [],
    started_at: state.startedAt,
    finished_at: state.finishedAt ?? null,
  };
}
