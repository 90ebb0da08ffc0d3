import { WorkflowNotFoundError } from '@temporalio/client';
import { householdBatches } from '../../cohort/cohort-files';
import { cohortPaths, type DataDir } from '../../cohort/cohort-paths';
import { scoreBands } from '../../domain/graduation';
import type { ProgramPlan } from '../../domain/program-plan';
import { rolloutWorkflowId, type RolloutInput, type RolloutState } from '../../domain/rollout';
import * as sa from '../../domain/search-attributes';
import { WelfareStatusSchema } from '../../domain/welfare-status';
import { rolloutRunsQuery } from '../../domain/rollout-runs-query';
import { rolloutStateQuery } from '../../workflows/rollout-messages';
import type { ApiDeps } from '../api-deps';
import { AppError } from '../app-error';
import { rethrowTemporalError } from '../temporal-errors';

const outcomes = ['running', 'completed', 'rejected', 'failed', 'cancelled'] as const;

/** Count queries over the runs a visibility query matches, one per clause added to it. */
function visibilityCounter(deps: ApiDeps, all: string) {
  const count = async (clause?: string) => (await deps.client.workflow.count(clause ? `${all} AND ${clause}` : all)).count;
  const countEach = async <K extends string>(keys: readonly K[], clause: (k: K) => string) =>
    Object.fromEntries(await Promise.all(keys.map(async (k) => [k, await count(clause(k))] as const))) as Record<K, number>;
  return { count, countEach };
}

/** The rollout's own state, and its runs counted by visibility (never by querying each run). */
export async function rolloutProgress(deps: ApiDeps, rolloutId: string) {
  const { input, state } = await readRollout(deps, rolloutId);
  const { count, countEach } = visibilityCounter(deps, rolloutRunsQuery(rolloutId));
  try {
    // A run's welfare status is settled once it completed, or once it graduated and only its
    // visits after graduation remain (months on durable timers): both count in the chart.
    const followingUp = `ExecutionStatus = 'Running' AND ${sa.Welfare.name} = '${graduationFacts.graduated}'`;
    const settled = `(${sa.RunOutcome.name} = 'completed' OR (${followingUp}))`;
    const statuses = WelfareStatusSchema.options;
    const planned = input.plan.steps.map((s) => `'${s.key}'`).join(', ');
    const [runs, byOutcome, byStep, pastPlannedSteps, stuck, before, after, graduation, regencies] = await Promise.all([
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
      graduationCounts(deps, rolloutId, input.plan),
      regenciesOf(deps.dataDir, input.cohortId),
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
      runs: { total: runs, ...byOutcome, stuck, byStep, pastPlannedSteps },
      // The graduation counts already hold the graduates in follow-up: not counted twice.
      welfare: { completedRuns: byOutcome.completed, graduatedFollowingUp: graduation?.followingUp ?? 0, before, after },
      ...(graduation && { graduation }),
      regencies,
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
export async function graduationCounts(deps: ApiDeps, rolloutId: string, plan: ProgramPlan, regency?: string) {
  if (!plan.graduation) return undefined;
  // Every value is checked against a strict pattern (rollout id, regency, criterion key), so quoting is safe.
  const runs = `${rolloutRunsQuery(rolloutId)}${regency ? ` AND ${sa.Region.name} STARTS_WITH '${regency}.'` : ''}`;
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

/** The regency (kabupaten/kota) of a village code: 35.09 of 35.09.01.2001. */
export const regencyOf = (region: string) => region.slice(0, 5);

// A cohort's id is a digest of its households, so what it covers never changes: read once per process.
const regenciesByCohort = new Map<string, Promise<{ regency: string; households: number }[]>>();

/** The regencies a rollout's cohort covers, with its households in each, by code. */
export function regenciesOf(dataDir: DataDir, cohortId: string): Promise<{ regency: string; households: number }[]> {
  const key = `${dataDir.root}\0${cohortId}`;
  let regencies = regenciesByCohort.get(key);
  if (!regencies) {
    regencies = countRegencies(dataDir, cohortPaths(dataDir, cohortId).households);
    regenciesByCohort.set(key, regencies);
    // A failed read (the cohort removed) is not remembered.
    void regencies.catch(() => regenciesByCohort.delete(key));
  }
  return regencies;
}

async function countRegencies(dataDir: DataDir, file: string): Promise<{ regency: string; households: number }[]> {
  const counts = new Map<string, number>();
  try {
    for await (const batch of householdBatches(dataDir.cipher, file, 1_000)) {
      for (const h of batch) counts.set(regencyOf(h.region), (counts.get(regencyOf(h.region)) ?? 0) + 1);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([regency, households]) => ({ regency, households }));
}

/** The graduation counts of a rollout's runs in one regency, or in all when none is given. */
export async function rolloutGraduation(deps: ApiDeps, rolloutId: string, regency?: string) {
  const { input } = await readRollout(deps, rolloutId);
  try {
    const graduation = await graduationCounts(deps, rolloutId, input.plan, regency);
    return { rolloutId, ...(regency && { regency }), ...(graduation && { graduation }) };
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
