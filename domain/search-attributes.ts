import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Custom search attributes of runs and rollouts. The embedded SQLite visibility store has few slots
 * (10 Keyword, 3 Datetime, 3 Bool, 3 Int, 3 KeywordList): this list is planned against them
 * (9 Keyword, 2 Datetime, 1 Bool, 2 KeywordList).
 */
export const RolloutId = defineSearchAttributeKey('RolloutId', SearchAttributeType.KEYWORD);
export const ProgramId = defineSearchAttributeKey('ProgramId', SearchAttributeType.KEYWORD);
export const HouseholdId = defineSearchAttributeKey('HouseholdId', SearchAttributeType.KEYWORD);
export const Region = defineSearchAttributeKey('Region', SearchAttributeType.KEYWORD);
export const CurrentStep = defineSearchAttributeKey('CurrentStep', SearchAttributeType.KEYWORD);
export const CurrentAgency = defineSearchAttributeKey('CurrentAgency', SearchAttributeType.KEYWORD);
/** The open task's id, so an agency can list what it owes without querying every run. */
export const CurrentTaskId = defineSearchAttributeKey('CurrentTaskId', SearchAttributeType.KEYWORD);
/** running, completed, rejected or failed: the run's own outcome, beside Temporal's status. */
export const RunOutcome = defineSearchAttributeKey('RunOutcome', SearchAttributeType.KEYWORD);
export const StepDeadline = defineSearchAttributeKey('StepDeadline', SearchAttributeType.DATETIME);
export const StuckSince = defineSearchAttributeKey('StuckSince', SearchAttributeType.DATETIME);
export const Stuck = defineSearchAttributeKey('Stuck', SearchAttributeType.BOOL);
/** The plan's step kinds, so a rollout can see that a household is already in another micro-capital programme. */
export const StepKinds = defineSearchAttributeKey('StepKinds', SearchAttributeType.KEYWORD_LIST);
/** `before:<status>` from the start, `after:<status>` once completed: the rollout counts both. */
export const Welfare = defineSearchAttributeKey('Welfare', SearchAttributeType.KEYWORD_LIST);
/**
 * A rollout's own status (starting, running, paused, cancelling, cancelled, completed): Temporal
 * says Running for a paused rollout and Completed for a cancelled one, so listings need this.
 */
export const RolloutStatus = defineSearchAttributeKey('RolloutStatus', SearchAttributeType.KEYWORD);

export const runSearchAttributes = [
  RolloutId,
  ProgramId,
  HouseholdId,
  Region,
  CurrentStep,
  CurrentAgency,
  CurrentTaskId,
  RunOutcome,
  StepDeadline,
  StuckSince,
  Stuck,
  StepKinds,
  Welfare,
  RolloutStatus,
] as const;
