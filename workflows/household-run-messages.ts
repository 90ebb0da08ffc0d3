import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { TaskRequest } from '../domain/task-request';
import type { AttemptState, RunState } from '../domain/run-state';
import type { OperationRequest } from '../domain/step-operation';
import type { TaskOutcome, TaskProgress } from '../domain/task-outcome';

/** An agency's outcome for one of the run's tasks; the update id is the webhook id. */
export const reportOutcomeUpdate = defineUpdate<AttemptState, [TaskOutcome]>('reportOutcome');

/** An agency's acknowledgement or progress on an open task; the update id is the webhook id. */
export const reportProgressUpdate = defineUpdate<AttemptState, [TaskProgress]>('reportProgress');

/** The whole state of the run: steps, attempts, outcomes, welfare status. */
export const runStateQuery = defineQuery<RunState>('runState');

/** The request sent to the agency for one of the run's tasks, for an agency catching up. */
export const taskRequestQuery = defineQuery<TaskRequest | undefined, [string]>('taskRequest');

/** A manager's operation on the run (retry, skip, extend, reassign a step; cancel the run), with a reason. */
export const operateUpdate = defineUpdate<RunState, [OperationRequest]>('operate');

/** The rollout paused or resumed; the highest `seq` wins, so late or repeated signals are harmless. */
export const rolloutPauseSignal = defineSignal<[{ paused: boolean; seq: number }]>('rolloutPause');
