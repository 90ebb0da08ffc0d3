import type { RegionScope } from '../../domain/region-scope';
import { addCounts, noCounts, type RolloutCounts, type RolloutInput, type RolloutState } from '../../domain/rollout';
import type { ExclusionReason } from '../../domain/screening';
import type { RecordsDb } from '../../records/records-db';
import { regionCondition } from '../../records/region-sql';

// Once every run is started, the counts in a scope never change: kept per store, rollout and scope.
const settled = new WeakMap<RecordsDb, Map<string, RolloutCounts>>();

/**
 * A rollout's start counts (households read, started, flagged, excluded by reason) over the
 * households in the scope alone: the rollout keeps national counts, so its cohort's households in
 * the scope are counted up to where the rollout has got (its next offset), and its exclusions
 * matched to them, in SQL.
 */
export async function startingInScope(db: RecordsDb, input: Pick<RolloutInput, 'rolloutId' | 'cohortId'>, state: Pick<RolloutState, 'nextOffset' | 'allStarted'>, scope: RegionScope): Promise<RolloutCounts> {
  const key = `${input.rolloutId}\0${scope === 'national' ? scope : scope.join(',')}`;
  let byRollout = settled.get(db);
  if (!byRollout) settled.set(db, (byRollout = new Map()));
  const known = byRollout.get(key);
  if (known) return known;
  const params: unknown[] = [input.cohortId, input.rolloutId];
  const inScope = regionCondition(scope, params, 'h.region') ?? 'true';
  let readSoFar = 'true';
  if (!state.allStarted) {
    params.push(state.nextOffset);
    readSoFar = `h.end_offset <= $${params.length}`;
  }
  const { rows } = await db.pool.query<{ reason: ExclusionReason | null; flagged_only: boolean | null; households: number }>(
    `SELECT e.reason, e.flagged_only, count(*) AS households
       FROM cohort_households h LEFT JOIN exclusions e ON e.rollout_id = $2 AND e.household_key = h.household_key
      WHERE h.cohort_id = $1 AND ${readSoFar} AND ${inScope}
      GROUP BY e.reason, e.flagged_only`,
    params,
  );
  let counts: RolloutCounts = { ...noCounts(), read: rows.reduce((sum, r) => sum + r.households, 0) };
  for (const { reason, flagged_only: flagged, households } of rows) {
    if (reason) counts = addCounts(counts, flagged ? { ...noCounts(), flagged: households } : { ...noCounts(), excluded: { [reason]: households } });
  }
  const excluded = Object.values(counts.excluded).reduce((sum, n) => sum + n, 0);
  counts = { ...counts, started: counts.read - excluded };
  if (state.allStarted) byRollout.set(key, counts);
  return counts;
}
