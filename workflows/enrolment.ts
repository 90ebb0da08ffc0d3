import { WorkflowExecutionAlreadyStartedError, type SearchAttributePair } from '@temporalio/common';
import { allHandlersFinished, condition, defineQuery, defineUpdate, setHandler, startChild, type ChildWorkflowHandle } from '@temporalio/workflow';
import { HouseholdId, ProgramId, Region, RolloutId, RunOutcome, StepKinds, Stuck, Welfare } from '../domain/search-attributes';
import type { householdRun } from './household-run';
import type { HouseholdRunInput } from './household-run-input';

/** A run asking to hold its household in its program; the memo is the run's own (e.g. a forced start). */
export interface EnrolRequest {
  run: HouseholdRunInput;
  memo?: Record<string, unknown>;
}

/**
 * started: this request started the run; exists: its run was started before (by a request like
 * it); held: another run holds the household; released: the holder has just ended (ask again).
 */
export type EnrolAnswer = { outcome: 'started' | 'exists' | 'released' } | { outcome: 'held'; heldBy: string };

export const enrolUpdate = defineUpdate<EnrolAnswer, [EnrolRequest]>('enrol');

/** The run holding the household, if any. */
export const enrolmentHolderQuery = defineQuery<string | undefined>('enrolmentHolder');

/**
 * The search attributes a run starts with: identity for the listings, and the facts overlap
 * checks read. The household by its pseudonym; an input from before pseudonyms (a recorded
 * history) has none and keeps its KK, so it replays as it ran.
 */
export function runStartAttributes(input: HouseholdRunInput): SearchAttributePair[] {
  const { plan, household } = input;
  return [
    { key: RolloutId, value: input.rolloutId },
    { key: ProgramId, value: plan.programId },
    { key: HouseholdId, value: input.householdKey ?? household.familyCardNumber },
    { key: Region, value: household.region },
    { key: RunOutcome, value: 'running' },
    { key: Stuck, value: false },
    { key: StepKinds, value: [...new Set(plan.steps.map((s) => s.kind))] },
    { key: Welfare, value: [`before:${household.welfareStatus}`] },
  ];
}

/**
 * The per-program, per-household lock (workflow id `enrolment:<program>:<household key>`, so
 * Temporal lets one run at a time): the first run to ask holds the household, and this workflow
 * starts that run as its child, so taking the lock and starting the run are one durable step (a
 * crash between them cannot leave the household locked without a run, nor start a second). It
 * ends when the run ends, however it ends (completed, rejected, cancelled, failed, terminated):
 * the household is free again. Any other run asking meanwhile is told who holds it.
 */
export async function enrolment(): Promise<{ runId?: string; started?: boolean }> {
  let holder: EnrolRequest | undefined;
  let started: boolean | undefined;
  let ended = false;
  setHandler(enrolmentHolderQuery, () => (ended ? undefined : holder?.run.runId));
  setHandler(enrolUpdate, async (request): Promise<EnrolAnswer> => {
    if (holder && holder.run.runId !== request.run.runId) return ended ? { outcome: 'released' } : { outcome: 'held', heldBy: holder.run.runId };
    const first = !holder;
    holder ??= request;
    await condition(() => started !== undefined);
    return { outcome: first && started ? 'started' : 'exists' };
  });

  // Started by update-with-start, so the first request arrives with the first task.
  if (!(await condition(() => holder !== undefined, '1 minute'))) return {};
  const { run, memo } = holder!;
  let child: ChildWorkflowHandle<typeof householdRun> | undefined;
  try {
    // By its type's name: importing the run's module would load it (and its schemas) into every lock.
    child = await startChild<typeof householdRun>('householdRun', {
      workflowId: run.runId,
      args: [run],
      // A run id names one run for ever; the run outlives this lock if it is ever ended by hand.
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      parentClosePolicy: 'ABANDON',
      typedSearchAttributes: runStartAttributes(run),
      ...(memo && { memo }),
    });
    started = true;
  } catch (err) {
    // The run was started (and has ended) before: nothing to hold.
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    started = false;
  }
  if (child) {
    try {
      await child.result();
    } catch {
      // Failed, cancelled or terminated: it has ended all the same.
    }
  }
  ended = true;
  await condition(allHandlersFinished);
  return { runId: run.runId, started };
}
