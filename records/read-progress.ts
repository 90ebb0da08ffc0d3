import { scoreBands } from '../domain/graduation';
import type { ProgramPlan } from '../domain/program-plan';
import type { RegionScope } from '../domain/region-scope';
import type { RunStatus } from '../domain/run-state';
import { WelfareStatusSchema, type WelfareStatus } from '../domain/welfare-status';
import type { RecordsDb } from './records-db';
import { regionCondition, where } from './region-sql';

const outcomes = ['running', 'completed', 'rejected', 'failed', 'cancelled'] as const satisfies readonly RunStatus[];

/**
 * Runs alike in everything the progress and graduation counts look at, and how many: a rollout
 * of 100,000 households falls into a few hundred such groups at most.
 */
interface RunGroup {
  status: RunStatus;
  stuck: boolean;
  step: string | null;
  before: WelfareStatus;
  after: WelfareStatus;
  outcome: 'graduated' | 'exited' | null;
  extended: boolean;
  relapsed: boolean;
  band: (typeof scoreBands)[number] | null;
  met: string[];
  n: number;
}

/**
 * A rollout's runs (in the scope; in one regency if given) grouped, from the tallies the records
 * store keeps per village as runs are written (migration rollout-tallies): every count of its
 * progress and graduation is summed from these groups, so a GET reads a few hundred tallies, not
 * the rollout's 100,000 runs.
 */
export async function readRunGroups(db: RecordsDb, rolloutId: string, scope: RegionScope, regency?: string): Promise<RunGroup[]> {
  const params: unknown[] = [rolloutId];
  const conditions = ['rollout_id = $1', regionCondition(scope, params)];
  if (regency) {
    params.push(regency);
    conditions.push(`left(region, 5) = $${params.length}`);
  }
  const { rows } = await db.pool.query<RunGroup>(
    `SELECT status, stuck, current_step AS step, welfare_before AS before, welfare_after AS after, graduation_outcome AS outcome,
       graduation_extended AS extended, relapsed, score_band AS band, criteria_met AS met, sum(n)::int AS n
     FROM rollout_tallies ${where(...conditions)} GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 HAVING sum(n) <> 0`,
    params,
  );
  return rows;
}

const zeroes = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
const sum = (groups: readonly RunGroup[], test: (g: RunGroup) => boolean) => groups.reduce((total, g) => (test(g) ? total + g.n : total), 0);

/**
 * A rollout's runs counted: by outcome, stuck, by current step, and welfare before and after of
 * the settled ones (completed, or graduated with only their visits after graduation left).
 */
export function runCounts(groups: readonly RunGroup[], plan: ProgramPlan) {
  const planned = plan.steps.map((s) => s.key);
  const running = groups.filter((g) => g.status === 'running');
  const byStep = zeroes(planned);
  for (const g of running) if (g.step !== null && g.step in byStep) byStep[g.step] = byStep[g.step]! + g.n;
  const before = zeroes(WelfareStatusSchema.options);
  const after = zeroes(WelfareStatusSchema.options);
  for (const g of groups) {
    if (!(g.status === 'completed' || (g.status === 'running' && g.outcome === 'graduated'))) continue;
    before[g.before] += g.n;
    after[g.after] += g.n;
  }
  return {
    runs: {
      total: sum(groups, () => true),
      ...(Object.fromEntries(outcomes.map((o) => [o, sum(groups, (g) => g.status === o)])) as Record<(typeof outcomes)[number], number>),
      stuck: sum(running, (g) => g.stuck),
      byStep,
      pastPlannedSteps: sum(running, (g) => g.step !== null && !planned.includes(g.step)),
    },
    welfare: { before, after },
  };
}

/**
 * A graduation's course across the runs grouped: the decisions each run recorded as soon as they
 * were made. Undefined when the plan has no criteria.
 */
export function graduationCounts(groups: readonly RunGroup[], plan: ProgramPlan) {
  if (!plan.graduation) return undefined;
  const scores = zeroes(scoreBands);
  const criteriaMet = zeroes(plan.graduation.criteria.map((k) => k.key));
  for (const g of groups) {
    if (g.band !== null) scores[g.band] += g.n;
    for (const key of g.met) if (key in criteriaMet) criteriaMet[key] = criteriaMet[key]! + g.n;
  }
  return {
    // A decided run carries exactly one score band: its latest decision's.
    decided: sum(groups, (g) => g.band !== null),
    graduated: sum(groups, (g) => g.outcome === 'graduated'),
    extended: sum(groups, (g) => g.extended),
    exited: sum(groups, (g) => g.outcome === 'exited'),
    relapsed: sum(groups, (g) => g.relapsed),
    followingUp: sum(groups, (g) => g.status === 'running' && g.outcome === 'graduated'),
    scores,
    criteriaMet,
  };
}
