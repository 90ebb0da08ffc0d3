import { patched } from '@temporalio/workflow';

/**
 * Patch ids of changes made to workflows after runs started: each guards a new command so
 * that recorded histories still replay. Remove one (with its old branch) only once no run
 * started before it remains.
 */
export const Patches = {
  /** The CurrentTaskId search attribute, upserted when a task is opened. */
  currentTaskIdAttribute: 'current-task-id-attribute',
  /** Reminder, breach and escalation e-mails around a step's SLA. */
  slaNotifications: 'sla-notifications',
  /** A failed step waits, stuck, for a manager's decision instead of ending the run. */
  failedAwaitsDecision: 'failed-awaits-decision',
  /** A task superseded by a manager's operation is withdrawn at its agency. */
  withdrawSupersededTasks: 'withdraw-superseded-tasks',
  /** A paused rollout's runs open no new task until it resumes. */
  rolloutPause: 'rollout-pause',
  /** A completed run records the welfare status after, for the rollout's counts. */
  welfareAttribute: 'welfare-attribute',
  /** One search-attribute upsert per attempt (step, agency, task, projected deadline) instead of three. */
  stepAttributesOnce: 'step-attributes-once',
  /** A cancelled rollout first pauses its runs (fast signals), so none opens a new task while it cancels them. */
  pauseBeforeCancel: 'pause-before-cancel',
  /** A rollout writes its own status (paused, cancelled...) to visibility as it changes. */
  rolloutStatusAttribute: 'rollout-status-attribute',
  /** Deadlines counted in the region's zone against the run's pinned holiday calendar (working days where the plan says), reminders in office hours. */
  regionalDeadlines: 'regional-deadlines',
  /** A graduation decision's approval deadline counted as a step's (the region's zone, working days where the plan says); the region's manager e-mailed when it passes. */
  graduationApprovalSla: 'graduation-approval-sla',
  /** Where the run (or rollout) stands is written to Sinergi's records store (PostgreSQL) at each moment, by local activities. */
  recordsStore: 'records-store',
  /** Each accepted message (outcome, progress, operation, pause) and each notice sent is written to the records store too, before it is answered: the API reads runs there, never by a query. */
  recordsEveryChange: 'records-every-change',
  /** A rollout's writes to the records store one at a time (a control's and its own were in flight at once: replayed in another order). */
  rolloutWritesInOrder: 'rollout-writes-in-order',
  /** A rollout cancelled while a batch of starts ran stays cancelling: the batch's end set it running again, and a pause then undid the cancel. */
  cancelStands: 'cancel-stands',
  /** An outcome that reaches a run waiting for it is answered once the run's next write (which holds it) is done, instead of after a write of its own and that one. */
  foldOutcomeWrite: 'fold-outcome-write',
  /** A task is its attempt's agency's (checked against the step's current agency before: after a reassignment the new agency could report on the first one's task). */
  attemptOwnsTask: 'attempt-owns-task',
} as const;

/** The patches the first patch set stands for: every patch up to the rollout's cancel-stands. */
const upToCancelStands = [
  Patches.currentTaskIdAttribute,
  Patches.slaNotifications,
  Patches.failedAwaitsDecision,
  Patches.withdrawSupersededTasks,
  Patches.rolloutPause,
  Patches.welfareAttribute,
  Patches.stepAttributesOnce,
  Patches.pauseBeforeCancel,
  Patches.rolloutStatusAttribute,
  Patches.regionalDeadlines,
  Patches.graduationApprovalSla,
  Patches.recordsStore,
  Patches.recordsEveryChange,
  Patches.rolloutWritesInOrder,
  Patches.cancelStands,
];

/**
 * The patches above as one. Each patch a run asks for leaves a marker in its history and makes
 * the SDK's core upsert TemporalChangeVersion (an event and a visibility write): 7 of each in
 * every household run before the first set. A run started now asks for the newest set and takes
 * all it covers as applied; a run started under an older set finds that one's marker (the newer
 * set, asked first, has none in its history, which leaves no command); a run from before any
 * asks for each patch as it did, so recorded histories replay as they ran. A set's list is fixed
 * once runs have started under it: a patch added later goes into a new set, first in this list.
 */
const patchSets = [
  { id: 'patch-set-2026-12-owner', covers: new Set<string>([...upToCancelStands, Patches.foldOutcomeWrite, Patches.attemptOwnsTask]) },
  { id: 'patch-set-2026-12-fold', covers: new Set<string>([...upToCancelStands, Patches.foldOutcomeWrite]) },
  { id: 'patch-set-2026-12', covers: new Set<string>(upToCancelStands) },
];

export type PatchId = (typeof Patches)[keyof typeof Patches];

/**
 * Whether a patch applies to this run: called once, first thing in the workflow's first activation
 * (before any other patch is asked for), it asks for the newest patch set the run has, then
 * answers each patch.
 */
export function runPatches(): (id: PatchId) => boolean {
  const current = patchSets.find((set) => patched(set.id));
  return (id) => (current?.covers.has(id) ?? false) || patched(id);
}
