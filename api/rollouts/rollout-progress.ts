import { WorkflowNotFoundError } from '@temporalio/client';
import { rolloutWorkflowId, type RolloutInput, type RolloutState } from '../../domain/rollout';
import * as sa from '../../domain/search-attributes';
import { WelfareStatusSchema } from '../../domain/welfare-status';
import { rolloutRunsQuery } from '../../domain/rollout-runs-query';
import { rolloutStateQuery } from '../../workflows/rollout-messages';
import type { ApiDeps } from '../api-deps';
import { AppError } from '../app-error';
import { rethrowTemporalError } from '../temporal-errors';

const outcomes = ['running', 'completed', 'rejected', 'failed', 'cancelled'] as const;

/** The rollout's own state, and its runs counted by visibility (never by querying each run). */
export async function rolloutProgress(deps: ApiDeps, rolloutId: string) {
  const { input, state } = await readRollout(deps, rolloutId);
  const all = rolloutRunsQuery(rolloutId);
  const count = async (clause?: string) => (await deps.client.workflow.count(clause ? `${all} AND ${clause}` : all)).count;
  const countEach = async <K extends string>(keys: readonly K[], clause: (k: K) => string) =>
    Object.fromEntries(await Promise.all(keys.map(async (k) => [k, await count(clause(k))] as const))) as Record<K, number>;
  try {
    const done = `${sa.RunOutcome.name} = 'completed'`;
    const statuses = WelfareStatusSchema.options;
    const [runs, byOutcome, byStep, stuck, before, after] = await Promise.all([
      count(),
      countEach(outcomes, (o) => `${sa.RunOutcome.name} = '${o}'`),
      countEach(
        input.plan.steps.map((s) => s.key),
        (k) => `ExecutionStatus = 'Running' AND ${sa.CurrentStep.name} = '${k}'`,
      ),
      count(`ExecutionStatus = 'Running' AND ${sa.Stuck.name} = true`),
      countEach(statuses, (w) => `${done} AND ${sa.Welfare.name} = 'before:${w}'`),
      countEach(statuses, (w) => `${done} AND ${sa.Welfare.name} = 'after:${w}'`),
    ]);
    return {
      rolloutId,
      programId: input.plan.programId,
      version: input.plan.version,
      cohortId: input.cohortId,
      startedBy: input.startedBy,
      startedAt: input.startedAt,
      status: state.status,
      households: input.households,
      starting: { ...state.counts, allStarted: state.allStarted },
      runs: { total: runs, ...byOutcome, stuck, byStep },
      welfare: { completedRuns: byOutcome.completed, before, after },
      operations: state.operations,
      finishedAt: state.finishedAt,
    };
  } catch (err) {
    rethrowTemporalError(err);
  }
}

export async function readRollout(deps: ApiDeps, rolloutId: string): Promise<{ input: RolloutInput; state: RolloutState }> {
  try {
    // A rollout that has ended still answers, through a worker replaying it.
    return await deps.client.workflow.getHandle(rolloutWorkflowId(rolloutId)).query(rolloutStateQuery);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new AppError('not_found', `no rollout ${rolloutId}`);
    rethrowTemporalError(err);
  }
}
