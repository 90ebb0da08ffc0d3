import { durationToMs } from '../domain/duration';
import { narrowScope, type RegionScope } from '../domain/region-scope';
import type { StuckQuery } from '../domain/stuck-query';
import type { RecordsDb } from './records-db';
import { regionCondition, where } from './region-sql';

const DAY = 86_400_000;

interface StuckRow {
  run_id: string;
  current_task_id: string | null;
  rollout_id: string;
  program_id: string;
  household_key: string;
  region: string;
  current_step: string | null;
  current_agency: string | null;
  step_deadline: string | null;
  stuck_since: string;
}

/**
 * Every stuck step matching the filter, oldest first, a page at a time, with counts per agency
 * and regency: from the records store, on its partial index of stuck runs (no run is asked, and
 * visibility is not read).
 */
export async function readStuckSteps(db: RecordsDb, filter: StuckQuery, scope: RegionScope, nowMs = Date.now()) {
  const params: unknown[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const conditions = where(
    'stuck',
    `status = 'running'`,
    filter.agency && `current_agency = ${param(filter.agency)}`,
    regionCondition(narrowScope(scope, filter.region), params),
    filter.program && `program_id = ${param(filter.program)}`,
    filter.rollout && `rollout_id = ${param(filter.rollout)}`,
    filter.minAge && `stuck_since <= ${param(new Date(nowMs - durationToMs(filter.minAge)).toISOString())}`,
  );
  const filterParams = [...params];
  const [page, counts] = await Promise.all([
    db.pool.query<StuckRow>(
      `SELECT run_id, current_task_id, rollout_id, program_id, household_key, region, current_step, current_agency, step_deadline, stuck_since
       FROM runs ${conditions} ORDER BY stuck_since, run_id LIMIT ${param(filter.pageSize)} OFFSET ${param(filter.offset)}`,
      params,
    ),
    db.pool.query<{ agency: string | null; regency: string; n: number }>(
      `SELECT current_agency AS agency, regency, count(*)::int AS n FROM runs ${conditions} GROUP BY current_agency, regency`,
      filterParams,
    ),
  ]);
  const byAgency: Record<string, number> = {};
  const byRegion: Record<string, number> = {};
  let total = 0;
  for (const { agency, regency, n } of counts.rows) {
    byAgency[agency ?? 'unknown'] = (byAgency[agency ?? 'unknown'] ?? 0) + n;
    byRegion[regency] = (byRegion[regency] ?? 0) + n;
    total += n;
  }
  const items = page.rows.map((r) => ({
    runId: r.run_id,
    taskId: r.current_task_id ?? undefined,
    rolloutId: r.rollout_id,
    programId: r.program_id,
    householdKey: r.household_key,
    region: r.region,
    step: r.current_step ?? undefined,
    agency: r.current_agency ?? undefined,
    deadline: r.step_deadline ?? undefined,
    stuckSince: r.stuck_since,
    daysOverdue: r.step_deadline ? Math.max(0, Math.floor((nowMs - Date.parse(r.step_deadline)) / DAY)) : undefined,
  }));
  const nextOffset = filter.offset + filter.pageSize < total ? filter.offset + filter.pageSize : undefined;
  return { total, counts: { byAgency, byRegion }, items, nextOffset };
}

/** Stuck steps by agency and regency across every running run: the metrics' gauge, one grouped count on the stuck index. */
export async function countStuck(db: RecordsDb): Promise<{ agency: string | null; regency: string; count: number }[]> {
  const { rows } = await db.pool.query<{ agency: string | null; regency: string; count: number }>(
    `SELECT current_agency AS agency, regency, count(*)::int AS count FROM runs WHERE stuck AND status = 'running' GROUP BY 1, 2`,
  );
  return rows;
}
