import { regionsOfScope, type RegionScope } from '../../domain/region-scope';
import type { RecordsDb } from '../../records/records-db';
import { regionCondition } from '../../records/region-sql';
import { AppError } from '../app-error';

/** A cohort as a principal limited to regions sees it: its households there, by regency, and the regencies it has elsewhere. */
export interface CohortInScope {
  households: number;
  regencies: { regency: string; households: number }[];
  /** Regencies with households outside the scope, by code. */
  foreign: string[];
}

// A cohort's id is a digest of its households, so what it holds never changes: counted once per store, cohort and scope.
const counted = new WeakMap<RecordsDb, Map<string, Promise<CohortInScope>>>();

/** The cohort's households in the scope (all of them for a national principal); none for a cohort the store does not hold. */
export function cohortInScope(db: RecordsDb, cohortId: string, scope: RegionScope): Promise<CohortInScope> {
  const key = `${cohortId}\0${scope === 'national' ? scope : scope.join(',')}`;
  let byCohort = counted.get(db);
  if (!byCohort) counted.set(db, (byCohort = new Map()));
  const known = byCohort.get(key);
  if (known) return known;
  const found = countInScope(db, cohortId, scope);
  byCohort.set(key, found);
  // A failed count, or one of a cohort not (yet) in the store, is not remembered.
  void found.then(
    (c) => c.households + c.foreign.length === 0 && byCohort.delete(key),
    () => byCohort.delete(key),
  );
  return found;
}

async function countInScope(db: RecordsDb, cohortId: string, scope: RegionScope): Promise<CohortInScope> {
  const params: unknown[] = [cohortId];
  const inside = regionCondition(scope, params) ?? 'true';
  const { rows } = await db.pool.query<{ regency: string; inside: number; outside: number }>(
    `SELECT regency, count(*) FILTER (WHERE ${inside}) AS inside, count(*) FILTER (WHERE NOT (${inside})) AS outside
       FROM cohort_households WHERE cohort_id = $1 GROUP BY regency ORDER BY regency COLLATE "C"`,
    params,
  );
  const regencies = rows.filter((r) => r.inside > 0).map((r) => ({ regency: r.regency, households: r.inside }));
  return { households: regencies.reduce((sum, r) => sum + r.households, 0), regencies, foreign: rows.filter((r) => r.outside > 0).map((r) => r.regency) };
}

/**
 * Refuses (403) a principal limited to regions a cohort with households elsewhere: starting or
 * steering a rollout of it would reach households they may not act on. The regencies are named.
 */
export async function checkCohortInScope(db: RecordsDb, cohortId: string, scope: RegionScope, field = 'body.cohortId'): Promise<void> {
  if (scope === 'national') return;
  const { foreign } = await cohortInScope(db, cohortId, scope);
  if (foreign.length === 0) return;
  const message = `the cohort has households outside your regions (${regionsOfScope(scope)?.join(', ')}): in ${foreign.join(', ')}`;
  throw new AppError('forbidden', message, { fields: [{ field, message }], details: { foreignRegencies: foreign } });
}
