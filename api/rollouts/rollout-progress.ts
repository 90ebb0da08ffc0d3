import { WorkflowNotFoundError } from '@temporalio/client';
import { scoreBands } from '../../domain/graduation';
import type { ProgramPlan } from '../../domain/program-plan';
import { narrowScope, regionsOfScope, withRegionClause, type RegionScope } from '../../domain/region-scope';
import { rolloutWorkflowId, type RolloutInput, type RolloutState } from '../../domain/rollout';
import * as sa from '../../domain/search-attributes';
import { WelfareStatusSchema } from '../../domain/welfare-status';
import { rolloutRunsQuery } from '../../domain/rollout-runs-query';
import { rolloutStateQuery } from '../../workflows/rollout-messages';
import type { ApiDeps } from '../api-deps';
import { AppError } from '../app-error';
import { rethrowTemporalError } from '../temporal-errors';
import { cohortInScope } from './cohort-scope';
import { startingInScope } from './scoped-starting';

const outcomes = ['running', 'completed', 'rejected', 'failed', 'cancelled'] as const;

/** Count queries over the runs a visibility query matches, one per clause added to it. */
function visibilityCounter(deps: ApiDeps, all: string) {
  const count = async (clause?: string) => (await deps.client.workflow.count(clause ? `${all} AND ${clause}` : all)).count;
  const countEach = async <K extends string>(keys: readonly K[], clause: (k: K) => string) =>
    Object.fromEntries(await Promise.all(keys.map(async (k) => [k, await count(clause(k))] as const))) as Record<K, number>;
  return { count, countEach };
}

/**
 * The rollout's own state, and its runs counted by visibility (never by querying each run). For a
 * principal limited to regions every count is of the households there alone.
 */
export async function rolloutProgress(deps: ApiDeps, rolloutId: string, scope: RegionScope) {
  const { input, state } = await readRollout(deps, rolloutId, scope);
  const { count, countEach } = visibilityCounter(deps, withRegionClause(rolloutRunsQuery(rolloutId), scope));
  try {
    // A run's welfare status is settled once it completed, or once it graduated and only its
    // visits after graduation remain (months on durable timers): both count in the chart.
    const followingUp = `ExecutionStatus = 'Running' AND ${sa.Welfare.name} = '${graduationFacts.graduated}'`;
    const settled = `(${sa.RunOutcome.name} = 'completed' OR (${followingUp}))`;
    const statuses = WelfareStatusSchema.options;
    const planned = input.plan.steps.map((s) => `'${s.key}'`).join(', ');
    const [runs, byOutcome, byStep, pastPlannedSteps, stuck, before, after, graduation, cohort, starting] = await Promise.all([
      count(),
      countEach(outcomes, (o) => `${sa.RunOutcome.name} = '${o}'`),
      countEach(
        input.plan.steps.map((s) => s.key),
        (k) => `ExecutionStatus = 'Running' AND ${sa.CurrentStep.name} = '${k}'`,
      ),
      // Only a plan with graduation criteria has steps after its own (step keys are slugs: safe to quote).
      input.plan.graduation ? count(`ExecutionStatus = 'Running' AND ${sa.CurrentStep.name} IS NOT NULL AND ${sa.CurrentStep.name} NOT IN (${planned})`) : 0,
      count(`ExecutionStatus = 'Running' AND ${sa.Stuck.name} = true`),
      countEach(statuses, (w) => `${settled} AND ${sa.Welfare.name} = 'before:${w}'`),
      countEach(statuses, (w) => `${settled} AND ${sa.Welfare.name} = 'after:${w}'`),
      graduationCounts(deps, rolloutId, input.plan, scope),
      cohortInScope(deps.dataDir, input.cohortId, scope),
      scope === 'national' ? state.counts : startingInScope(deps.dataDir, input, state, scope),
    ]);
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
      runs: { total: runs, ...byOutcome, stuck, byStep, pastPlannedSteps },
      // The graduation counts already hold the graduates in follow-up: not counted twice.
      welfare: { completedRuns: byOutcome.completed, graduatedFollowingUp: graduation?.followingUp ?? 0, before, after },
      ...(graduation && { graduation }),
      regencies: cohort.regencies,
      ...(regions && { regions }),
      operations: state.operations,
      finishedAt: state.finishedAt,
    };
  } catch (err) {
    rethrowTemporalError(err);
  }
}

const graduationFacts = { graduated: 'graduation:graduated', extended: 'graduation:extended', exited: 'graduation:exited', relapsed: 'relapsed' } as const;

/**
 * A graduation's course across the rollout's runs (or those in one regency), from the facts each
 * run writes to its Welfare search attribute as soon as a decision is made: one count query per
 * fact, score band and criterion. Undefined when the plan has no graduation criteria.
 */
export async function graduationCounts(deps: ApiDeps, rolloutId: string, plan: ProgramPlan, scope: RegionScope, regency?: string) {
  if (!plan.graduation) return undefined;
  // Every value is checked against a strict pattern (rollout id, regency, criterion key), so quoting is safe.
  const runs = withRegionClause(rolloutRunsQuery(rolloutId), narrowScope(scope, regency));
  const { countEach } = visibilityCounter(deps, runs);
  const fact = (value: string) => `${sa.Welfare.name} = '${value}'`;
  const { count } = visibilityCounter(deps, runs);
  const [courses, followingUp, scores, criteriaMet] = await Promise.all([
    countEach(Object.keys(graduationFacts) as (keyof typeof graduationFacts)[], (k) => fact(graduationFacts[k])),
    count(`ExecutionStatus = 'Running' AND ${fact(graduationFacts.graduated)}`),
    countEach(scoreBands, (band) => fact(`score:${band}`)),
    countEach(
      plan.graduation.criteria.map((c) => c.key),
      (key) => fact(`met:${key}`),
    ),
  ]);
  // A decided run carries exactly one score band: its latest decision's.
  const decided = Object.values<number>(scores).reduce((sum, n) => sum + n, 0);
  return { decided, ...courses, followingUp, scores, criteriaMet };
}

/** The graduation counts of a rollout's runs in one regency, or in all when none is given; in the scope either way. */
export async function rolloutGraduation(deps: ApiDeps, rolloutId: string, scope: RegionScope, regency?: string) {
  const { input } = await readRollout(deps, rolloutId, scope);
  try {
    const graduation = await graduationCounts(deps, rolloutId, input.plan, scope, regency);
    const regions = regionsOfScope(scope);
    return { rolloutId, ...(regency && { regency }), ...(regions && { regions }), ...(graduation && { graduation }) };
  } catch (err) {
    rethrowTemporalError(err);
  }
}

/**
 * The rollout's input and state. For a principal limited to regions, a rollout without a household
 * there is not found, as one that does not exist.
 */
export async function readRollout(deps: ApiDeps, rolloutId: string, scope: RegionScope): Promise<{ input: RolloutInput; state: RolloutState }> {
  const notFound = () => new AppError('not_found', `no rollout ${rolloutId}`);
  let rollout: { input: RolloutInput; state: RolloutState };
  try {
    // A rollout that has ended still answers, through a worker replaying it.
    rollout = await deps.client.workflow.getHandle(rolloutWorkflowId(rolloutId)).query(rolloutStateQuery);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw notFound();
    rethrowTemporalError(err);
  }
  if (scope !== 'national' && (await cohortInScope(deps.dataDir, rollout.input.cohortId, scope)).households === 0) throw notFound();
  return rollout;
}
