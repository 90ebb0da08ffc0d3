import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { AttemptState, RunState } from '../domain/run-state';
import type { TaskOutcome } from '../domain/task-outcome';

/** An agency's outcome for one of the run's tasks; the update id is the webhook id. */
export const reportOutcomeUpdate = defineUpdate<AttemptState, [TaskOutcome]>('reportOutcome');

/** The whole state of the run: steps, attempts, outcomes, welfare status. */
export const runStateQuery = defineQuery<RunState>('runState');
