import { householdBatches } from '../../cohort/cohort-files';
import { cohortPaths, type DataDir } from '../../cohort/cohort-paths';
import { regencyOf } from '../../domain/household';
import { inScope, regionsOfScope, type RegionScope } from '../../domain/region-scope';
import { AppError } from '../app-error';

/** A cohort as a principal limited to regions sees it: its households there, by regency, and the regencies it has elsewhere. */
export interface CohortInScope {
  households: number;
  regencies: { regency: string; households: number }[];
  /** Regencies with households outside the scope, by code. */
  foreign: string[];
}

// A cohort's id is a digest of its households, so what it holds never changes: read once per cohort and scope.
const byCohortAndScope = new Map<string, Promise<CohortInScope>>();

/** The cohort's households in the scope (all of them for a national principal). */
export function cohortInScope(dataDir: DataDir, cohortId: string, scope: RegionScope): Promise<CohortInScope> {
  const key = `${dataDir.root}\0${cohortId}\0${scope === 'national' ? scope : scope.join(',')}`;
  let found = byCohortAndScope.get(key);
  if (!found) {
    found = countInScope(dataDir, cohortId, scope);
    byCohortAndScope.set(key, found);
    // A failed read (the cohort removed) is not remembered.
    void found.catch(() => byCohortAndScope.delete(key));
  }
  return found;
}

async function countInScope(dataDir: DataDir, cohortId: string, scope: RegionScope): Promise<CohortInScope> {
  const counts = new Map<string, number>();
  const foreign = new Set<string>();
  try {
    for await (const batch of householdBatches(dataDir.cipher, cohortPaths(dataDir, cohortId).households, 1_000)) {
      for (const { region } of batch) {
        if (inScope(scope, region)) counts.set(regencyOf(region), (counts.get(regencyOf(region)) ?? 0) + 1);
        else foreign.add(regencyOf(region));
      }
    }
  } catch (err) {
    // A rollout's cohort removed since: nothing to count.
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const regencies = [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([regency, households]) => ({ regency, households }));
  return { households: regencies.reduce((sum, r) => sum + r.households, 0), regencies, foreign: [...foreign].sort() };
}

/**
 * Refuses (403) a principal limited to regions a cohort with households elsewhere: starting or
 * steering a rollout of it would reach households they may not act on. The regencies are named.
 */
export async function checkCohortInScope(dataDir: DataDir, cohortId: string, scope: RegionScope, field = 'body.cohortId'): Promise<void> {
  if (scope === 'national') return;
  const { foreign } = await cohortInScope(dataDir, cohortId, scope);
  if (foreign.length === 0) return;
  const message = `the cohort has households outside your regions (${regionsOfScope(scope)?.join(', ')}): in ${foreign.join(', ')}`;
  throw new AppError('forbidden', message, { fields: [{ field, message }], details: { foreignRegencies: foreign } });
}
