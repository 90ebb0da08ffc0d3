import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { RolloutControl, RolloutInput, RolloutState } from '../domain/rollout';

/** Pause, resume or cancel, with a reason; answered once the rollout has recorded it. */
export const controlRolloutUpdate = defineUpdate<RolloutState, [RolloutControl & { actor: string; at: string }]>('controlRollout');

/** What the rollout was started with, and where it is. */
export const rolloutStateQuery = defineQuery<{ input: RolloutInput; state: RolloutState }>('rolloutState');
