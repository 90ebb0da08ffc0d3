import { WorkflowNotFoundError } from '@temporalio/client';
import { regionsOfScope, type RegionScope } from '../../domain/region-scope';
import { rolloutWorkflowId, type RolloutInput, type RolloutState } from '../../domain/rollout';
import { graduationCounts, readRunGroups, runCounts } from '../../records/read-progress';
import { readRolloutRecord } from '../../records/read-rollout';
import { rolloutStateQuery } from '../../workflows/rollout-messages';
import type { ApiDeps } from '../api-deps';
import { AppError } from '../app-error';
import { rethrowTemporalError } from '../temporal-errors';
import { cohortInScope, type CohortInScope } from './cohort-scope';
import { startingInScope } from './scoped-starting';

/**
 * The rollout's own state and its runs counted, from Sinergi's records store: it answers while
 * every worker is down (Temporal's visibility stays for the Temporal UI and CLI). For a principal
 * limited to regions every count is of the households there alone.
 */
export async function rolloutProgress(deps: ApiDeps, rolloutId: string, scope: RegionScope) {
  const { input, state, inScope } = await readRollout(deps, rolloutId, scope);
  const [groups, cohort, starting] = await Promise.all([
    readRunGroups(deps.records, rolloutId, scope),
    inScope ?? cohortInScope(deps.records, input.cohortId, scope),
    scope === 'national' ? state.counts : startingInScope(deps.records, input, state, scope),
  ]);
  const { runs, welfare } = runCounts(groups, input.plan);
  const graduation = graduationCounts(groups, input.plan);
  const regions = regionsOfScope(scope);
  return {
    rolloutId,
    programId: input.plan.programId,
    version: input.plan.version,
    cohortId: input.cohortId,
    startedBy: input.startedBy,
    startedAt: input.startedAt,
    status: state.status,
    households: regions ? cohort.households : input.households,
    starting: { ...starting, allStarted: state.allStarted },
    runs,
    // The graduation counts already hold the graduates in follow-up: not counted twice.
    welfare: { completedRuns: runs.completed, graduatedFollowingUp: graduation?.followingUp ?? 0, ...welfare },
    ...(graduation && { graduation }),
    regencies: cohort.regencies,
    ...(regions && { regions }),
    operations: state.operations,
    finishedAt: state.finishedAt,
  };
}

/** The graduation counts of a rollout's runs in one regency, or in all when none is given; in the scope either way. */
export async function rolloutGraduation(deps: ApiDeps, rolloutId: string, scope: RegionScope, regency?: string) {
  const { input } = await readRollout(deps, rolloutId, scope);
  const graduation = graduationCounts(await readRunGroups(deps.records, rolloutId, scope, regency), input.plan);
  const regions = regionsOfScope(scope);
  return { rolloutId, ...(regency && { regency }), ...(regions && { regions }), ...(graduation && { graduation }) };
}

/**
 * The rollout's input and state. For a principal limited to regions, a rollout without a household
 * there is not found, as one that does not exist.
 */
export async function readRollout(deps: ApiDeps, rolloutId: string, scope: RegionScope): Promise<{ input: RolloutInput; state: RolloutState; inScope?: CohortInScope }> {
  const notFound = () => new AppError('not_found', `no rollout ${rolloutId}`);
  // As last recorded (no worker needed); a rollout started before the records store, through a worker replaying it.
  let rollout = await readRolloutRecord(deps.records, rolloutId);
  try {
    rollout ??= await deps.client.workflow.getHandle(rolloutWorkflowId(rolloutId)).query(rolloutStateQuery);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw notFound();
    rethrowTemporalError(err);
  }
  if (scope === 'national') return rollout;
  // Counted once: the progress shows the same households.
  const inScope = await cohortInScope(deps.records, rollout.input.cohortId, scope);
  if (inScope.households === 0) throw notFound();
  return { ...rollout, inScope };
}
