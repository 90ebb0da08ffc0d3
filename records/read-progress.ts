import { scoreBands } from '../domain/graduation';
import type { ProgramPlan } from '../domain/program-plan';
import type { RegionScope } from '../domain/region-scope';
import type { RunStatus } from '../domain/run-state';
import { WelfareStatusSchema, type WelfareStatus } from '../domain/welfare-status';
import type { RecordsDb } from './records-db';
import { regionCondition, where } from './region-sql';

const outcomes = ['running', 'completed', 'rejected', 'failed', 'cancelled'] as const satisfies readonly RunStatus[];

/** The rollout's runs in the scope, as a WHERE clause and its parameters. */
function runsOf(rolloutId: string, scope: RegionScope, regency?: string) {
  const params: unknown[] = [rolloutId];
  const conditions = ['rollout_id = $1', regionCondition(scope, params)];
  if (regency) {
    params.push(regency);
    conditions.push(`regency = $${params.length}`);
  }
  return { clause: where(...conditions), params };
}

const zeroes = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

/**
 * A rollout's runs counted in the records store, in three queries on its rollout index: by
 * outcome, stuck, by current step, and welfare before and after of the settled ones (completed,
 * or graduated with only their visits after graduation left).
 */
export async function readRunCounts(db: RecordsDb, rolloutId: string, plan: ProgramPlan, scope: RegionScope) {
  const { clause, params } = runsOf(rolloutId, scope);
  const planned = plan.steps.map((s) => s.key);
  const settled = `(status = 'completed' OR (status = 'running' AND graduation_outcome = 'graduated'))`;
  const [totals, steps, welfare] = await Promise.all([
    db.pool.query<Record<string, number>>(
      `SELECT count(*)::int AS total, ${outcomes.map((o) => `count(*) FILTER (WHERE status = '${o}')::int AS ${o}`).join(', ')},
         count(*) FILTER (WHERE status = 'running' AND stuck)::int AS stuck,
         count(*) FILTER (WHERE status = 'running' AND current_step IS NOT NULL AND NOT current_step = ANY($${params.length + 1}::text[]))::int AS past_planned
       FROM runs ${clause}`,
      [...params, planned],
    ),
    db.pool.query<{ step: string; n: number }>(`SELECT current_step AS step, count(*)::int AS n FROM runs ${clause} AND status = 'running' GROUP BY current_step`, params),
    db.pool.query<{ before: WelfareStatus; after: WelfareStatus; n: number }>(
      `SELECT welfare_before AS before, welfare_after AS after, count(*)::int AS n FROM runs ${clause} AND ${settled} GROUP BY 1, 2`,
      params,
    ),
  ]);
  const row = totals.rows[0]!;
  const byStep = zeroes(planned);
  for (const { step, n } of steps.rows) if (step in byStep) byStep[step] = n;
  const before = zeroes(WelfareStatusSchema.options);
  const after = zeroes(WelfareStatusSchema.options);
  for (const r of welfare.rows) {
    before[r.before] += r.n;
    after[r.after] += r.n;
  }
  return {
    runs: { total: row.total!, ...(Object.fromEntries(outcomes.map((o) => [o, row[o]!])) as Record<(typeof outcomes)[number], number>), stuck: row.stuck!, byStep, pastPlannedSteps: row.past_planned! },
    welfare: { before, after },
  };
}

/**
 * A graduation's course across the rollout's runs (or those in one regency) in the scope: the
 * decisions each run recorded as soon as they were made. Undefined when the plan has no criteria.
 */
export async function readGraduationCounts(db: RecordsDb, rolloutId: string, plan: ProgramPlan, scope: RegionScope, regency?: string) {
  if (!plan.graduation) return undefined;
  const { clause, params } = runsOf(rolloutId, scope, regency);
  const [courses, bands, met] = await Promise.all([
    db.pool.query<Record<string, number>>(
      `SELECT count(*) FILTER (WHERE graduation_outcome = 'graduated')::int AS graduated,
         count(*) FILTER (WHERE graduation_extended)::int AS extended,
         count(*) FILTER (WHERE graduation_outcome = 'exited')::int AS exited,
         count(*) FILTER (WHERE relapsed)::int AS relapsed,
         count(*) FILTER (WHERE status = 'running' AND graduation_outcome = 'graduated')::int AS following_up
       FROM runs ${clause}`,
      params,
    ),
    db.pool.query<{ band: (typeof scoreBands)[number]; n: number }>(`SELECT score_band AS band, count(*)::int AS n FROM runs ${clause} AND score_band IS NOT NULL GROUP BY 1`, params),
    db.pool.query<{ key: string; n: number }>(`SELECT key, count(*)::int AS n FROM runs, unnest(criteria_met) AS key ${clause} GROUP BY 1`, params),
  ]);
  const c = courses.rows[0]!;
  const scores = zeroes(scoreBands);
  for (const { band, n } of bands.rows) scores[band] = n;
  const criteriaMet = zeroes(plan.graduation.criteria.map((k) => k.key));
  for (const { key, n } of met.rows) if (key in criteriaMet) criteriaMet[key] = n;
  // A decided run carries exactly one score band: its latest decision's.
  const decided = Object.values<number>(scores).reduce((sum, n) => sum + n, 0);
  return { decided, graduated: c.graduated!, extended: c.extended!, exited: c.exited!, relapsed: c.relapsed!, followingUp: c.following_up!, scores, criteriaMet };
}
