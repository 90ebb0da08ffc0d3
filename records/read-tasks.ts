import type { Agency } from '../domain/agency';
import type { RegionScope } from '../domain/region-scope';
import type { RecordsDb } from './records-db';
import { regionCondition, where } from './region-sql';

/** Where a page of open tasks ends: the last task's deadline ('infinity' when it has none) and run. */
export interface TaskCursor {
  deadline: string;
  runId: string;
}

interface TaskRow {
  run_id: string;
  current_task_id: string;
  current_step: string | null;
  household_key: string;
  region: string;
  deadline: string | null;
  stuck: boolean;
}

/**
 * An agency's open tasks in the scope, soonest deadline first, a page after `after`: from the
 * records store on its index of open tasks (migration agency-tasks), so it answers with every
 * worker down and pages 100,000 tasks without reading them all.
 */
export async function readOpenTasks(db: RecordsDb, agency: Agency, scope: RegionScope, pageSize: number, after?: TaskCursor) {
  const params: unknown[] = [agency];
  const deadline = `coalesce(step_deadline, 'infinity')`;
  let keyset: string | undefined;
  if (after) {
    params.push(after.deadline, after.runId);
    keyset = `(${deadline}, run_id) > ($${params.length - 1}::timestamptz, $${params.length})`;
  }
  const conditions = where('current_agency = $1', `status = 'running'`, 'current_task_id IS NOT NULL', regionCondition(scope, params), keyset);
  params.push(pageSize + 1);
  const { rows } = await db.pool.query<TaskRow>(
    `SELECT run_id, current_task_id, current_step, household_key, region, step_deadline AS deadline, stuck
     FROM runs ${conditions} ORDER BY ${deadline}, run_id LIMIT $${params.length}`,
    params,
  );
  const page = rows.slice(0, pageSize);
  const last = page.at(-1);
  return {
    tasks: page.map((r) => ({
      taskId: r.current_task_id,
      runId: r.run_id,
      step: r.current_step ?? undefined,
      householdKey: r.household_key,
      region: r.region,
      deadline: r.deadline ?? undefined,
      stuck: r.stuck,
    })),
    next: rows.length > pageSize && last ? { deadline: last.deadline ?? 'infinity', runId: last.run_id } : undefined,
  };
}
