import { ApplicationFailure, allHandlersFinished, condition, continueAsNew, proxyActivities, proxyLocalActivities, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { BulkActivities, RecordActivities, RolloutActivities } from '../domain/activity-contracts';
import { FailureType } from '../domain/failure-types';
import { addCounts, checkControl, initialRolloutState, type RolloutInput, type RolloutState, type RolloutStatus } from '../domain/rollout';
import { RolloutStatus as RolloutStatusAttribute } from '../domain/search-attributes';
import { rolloutRunsQuery } from '../domain/rollout-runs-query';
import { activityOptions } from './activity-options';
import { oneAtATime } from './one-at-a-time';
import { Patches, runPatches, type PatchId } from './patches';
import { recordSequence } from './record-sequence';
import { controlRolloutUpdate, rolloutStateQuery } from './rollout-messages';

const rolloutActivities = proxyActivities<RolloutActivities>(activityOptions.rolloutBatch);
const { applyBulkOperation } = proxyActivities<BulkActivities>(activityOptions.rolloutCancel);
const records = proxyLocalActivities<RecordActivities>(activityOptions.record);

/** Sets the rollout's status and, once it changes, writes it to visibility for the listings. */
function setStatus(state: RolloutState, status: RolloutStatus, patched: (id: PatchId) => boolean): void {
  const changed = state.status !== status;
  state.status = status;
  if (changed && patched(Patches.rolloutStatusAttribute)) upsertSearchAttributes([{ key: RolloutStatusAttribute, value: status }]);
}

/**
 * One program rolled out to one cohort: starts its runs in batches (a bounded rate, each
 * household at most once thanks to deterministic run ids), then watches until they have all
 * ended. Paused, it starts no new run and tells its runs to open no new task; cancelled, it
 * cancels every run it started. Continues as new carrying its state.
 */
export async function rollout(input: RolloutInput, carried?: RolloutState): Promise<RolloutState> {
  const state: RolloutState = carried ?? initialRolloutState();
  // Before any patch is asked for (patches.ts): a rollout started now records one marker, not one per patch.
  const patched = runPatches();
  setHandler(rolloutStateQuery, () => ({ input, state }));
  // Where the rollout stands, in the records store: progress answers from there even with every worker down.
  const recording = patched(Patches.recordsStore);
  const nextSeq = recordSequence(state.recordSeq ?? 0);
  // A control's write and the rollout's own, in flight at once, replayed in another order than they ran (one-at-a-time.ts).
  const inOrder = oneAtATime(patched(Patches.rolloutWritesInOrder));
  const record = async () => {
    if (!recording) return;
    await inOrder(() => {
      state.recordSeq = nextSeq();
      return records.recordRollout({ seq: state.recordSeq, input, state });
    });
  };
  // Before the first await: a control sent as the rollout starts comes in its first activation, and an update with no handler yet is refused.
  setHandler(
    controlRolloutUpdate,
    async ({ action, reason, actor, at }) => {
      const problem = checkControl(state, action);
      if (problem) throw ApplicationFailure.nonRetryable(problem, FailureType.InvalidOperation);
      state.operations.push({ action, reason, actor, at });
      if (action === 'cancel') setStatus(state, 'cancelling', patched);
      else {
        state.paused = action === 'pause';
        state.pauseSeq += 1;
        setStatus(state, state.paused ? 'paused' : state.allStarted ? 'running' : 'starting', patched);
      }
      // Recorded before the caller is answered, so the rollout read next shows the control.
      await record();
      return state;
    },
    {
      validator: ({ action }) => {
        const problem = checkControl(state, action);
        if (problem) throw ApplicationFailure.create({ type: FailureType.InvalidOperation, message: problem, nonRetryable: true });
      },
    },
  );

  await record();
  const cancelling = () => state.status === 'cancelling';
  // A cancel accepted while an activity ran stands: the activity's end (a batch's last, an empty count) does not overwrite it.
  const cancelStands = () => cancelling() && patched(Patches.cancelStands);
  const controlPending = () => cancelling() || state.toldSeq < state.pauseSeq;
  for (let turn = 0; !cancelling(); turn++) {
    if (turn >= (input.pace.turnsPerHistory ?? 500) || workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      return continueAsNew<typeof rollout>(input, state);
    }
    if (state.toldSeq < state.pauseSeq) {
      // After the batch under way, so the runs it started are told too.
      const seq = state.pauseSeq;
      await rolloutActivities.tellRunsOfPause({ rolloutId: input.rolloutId, paused: state.paused, seq });
      state.toldSeq = seq;
      await record();
    } else if (state.allStarted) {
      if ((await rolloutActivities.countOpenRuns(input.rolloutId)) === 0 && !cancelStands()) {
        setStatus(state, 'completed', patched);
        break;
      }
      await condition(controlPending, input.pace.watchEvery);
    } else if (state.paused) {
      await condition(controlPending);
    } else {
      const batch = await rolloutActivities.startRolloutBatch({
        rolloutId: input.rolloutId,
        plan: input.plan,
        cohortId: input.cohortId,
        fromOffset: state.nextOffset,
        pace: input.pace,
        startedBy: input.startedBy,
      });
      state.counts = addCounts(state.counts, batch.counts);
      state.nextOffset = batch.nextOffset;
      state.allStarted = batch.end;
      if (batch.end && !state.paused && !cancelStands()) setStatus(state, 'running', patched);
      await record();
    }
  }
  if (cancelling()) {
    const cancel = [...state.operations].reverse().find((o) => o.action === 'cancel')!;
    await record();
    if (!state.paused && patched(Patches.pauseBeforeCancel)) {
      state.pauseSeq += 1;
      await rolloutActivities.tellRunsOfPause({ rolloutId: input.rolloutId, paused: true, seq: state.pauseSeq });
      state.toldSeq = state.pauseSeq;
    }
    await applyBulkOperation({
      operationId: `rollout-cancel:${input.rolloutId}`,
      query: rolloutRunsQuery(input.rolloutId, 'running'),
      operation: { op: 'cancel', reason: `rollout cancelled: ${cancel.reason}` },
      actor: cancel.actor,
    });
    setStatus(state, 'cancelled', patched);
  }
  state.finishedAt = new Date().toISOString();
  await record();
  await condition(allHandlersFinished);
  return state;
}
