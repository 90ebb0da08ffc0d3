import { upsertSearchAttributes } from '@temporalio/workflow';
import type { Agency } from '../domain/agency';
import type { RunState } from '../domain/run-state';
import { ReceivedKindSchema } from '../domain/step-kind';
import { graduationDecisionStep, scoreBand } from '../domain/graduation';
import { CurrentAgency, CurrentStep, CurrentTaskId, RunOutcome, StepDeadline, Stuck, StuckSince, Welfare } from '../domain/search-attributes';

/**
 * Every search-attribute write of a household run, one function per moment. Each upsert is a
 * history event and a visibility write: the main cost per household at scale.
 */

/** The attempt's step, agency, task and projected deadline in one write (since Patches.stepAttributesOnce). */
export function attemptOpened(stepKey: string, agency: Agency, taskId: string, projectedDeadline: number): void {
  upsertSearchAttributes([
    { key: CurrentStep, value: stepKey },
    { key: CurrentAgency, value: agency },
    { key: CurrentTaskId, value: taskId },
    { key: StepDeadline, value: new Date(projectedDeadline) },
  ]);
}

/** Runs started before Patches.stepAttributesOnce: the step and agency as the step starts. */
export function stepStarted(stepKey: string, agency: Agency): void {
  upsertSearchAttributes([
    { key: CurrentStep, value: stepKey },
    { key: CurrentAgency, value: agency },
    { key: StepDeadline, value: null },
  ]);
}

/** Runs started before Patches.stepAttributesOnce: the task id apart. */
export function taskIdKnown(taskId: string): void {
  upsertSearchAttributes([{ key: CurrentTaskId, value: taskId }]);
}

/** Runs started before Patches.stepAttributesOnce: the agency of a reassigned step. */
export function agencyChanged(agency: Agency): void {
  upsertSearchAttributes([{ key: CurrentAgency, value: agency }]);
}

/** The attempt's deadline, unless the projected one already written is within a minute of it. */
export function deadlineKnown(deadline: string, projectedDeadline?: number): void {
  if (projectedDeadline !== undefined && Math.abs(Date.parse(deadline) - projectedDeadline) <= 60_000) return;
  deadlineMoved(deadline);
}

export function deadlineMoved(deadline: string): void {
  upsertSearchAttributes([{ key: StepDeadline, value: new Date(deadline) }]);
}

export function stepStuck(): void {
  upsertSearchAttributes([{ key: Stuck, value: true }, { key: StuckSince, value: new Date() }]);
}

/** No longer stuck; a step still open waits for its (moved) deadline. */
export function stepUnstuck(deadline?: string): void {
  upsertSearchAttributes([
    { key: Stuck, value: false },
    { key: StuckSince, value: null },
    ...(deadline ? [{ key: StepDeadline, value: new Date(deadline) }] : []),
  ]);
}

/**
 * The welfare facts a rollout counts with visibility's count queries: before and after; what the
 * household received (so a later programme can see it, after the run has closed); and a
 * graduation's course: extended, its outcome, a relapse, the latest decision's score band and
 * each criterion it found met.
 */
export function welfareFacts(state: RunState): string[] {
  const g = state.graduation;
  const decided = g?.assessments.filter((a) => a.decision).at(-1);
  const received = new Set(state.steps.filter((s) => s.status === 'completed' && ReceivedKindSchema.safeParse(s.kind).success).map((s) => `received:${s.kind}`));
  return [
    `before:${state.welfareStatus.before}`,
    `after:${state.welfareStatus.current}`,
    ...received,
    ...(g && g.extensionsUsed > 0 ? ['graduation:extended'] : []),
    ...(g?.outcome ? [`graduation:${g.outcome}`] : []),
    ...(g?.relapsedAt ? ['relapsed'] : []),
    ...(decided ? [`score:${scoreBand(decided.score)}`, ...decided.results.filter((r) => r.met).map((r) => `met:${r.key}`)] : []),
  ];
}

/** A graduation decision awaits a manager: listed as the run's current step, with its deadline. */
export function decisionAwaited(deadline: string): void {
  upsertSearchAttributes([
    { key: CurrentStep, value: graduationDecisionStep },
    { key: CurrentAgency, value: null },
    { key: CurrentTaskId, value: null },
    { key: StepDeadline, value: new Date(deadline) },
  ]);
}

/** A graduation decided (an extension, an outcome, or a relapse seen after it): counted while the run goes on to its later visits. */
export function graduationDecided(state: RunState): void {
  upsertSearchAttributes([{ key: Welfare, value: welfareFacts(state) }]);
}

/** The run's outcome; a completed run also drops its step and agency and, when asked, records its welfare status after. */
export function runEnded(state: RunState, withWelfare: boolean): void {
  const completed = state.status === 'completed';
  upsertSearchAttributes([
    ...(withWelfare ? [{ key: Welfare, value: welfareFacts(state) }] : []),
    { key: RunOutcome, value: state.status },
    { key: StepDeadline, value: null },
    { key: CurrentTaskId, value: null },
    ...(completed ? [{ key: CurrentStep, value: null }, { key: CurrentAgency, value: null }] : []),
  ]);
}
