import { readHouseholdBatch } from '../../cohort/cohort-files';
import { cohortPaths, type DataDir } from '../../cohort/cohort-paths';
import { inScope, type RegionScope } from '../../domain/region-scope';
import { addCounts, noCounts, type RolloutCounts, type RolloutInput, type RolloutState } from '../../domain/rollout';
import { readExclusions } from './rollout-report';

// Once every run is started, the counts in a scope never change: kept per rollout and scope.
const settled = new Map<string, RolloutCounts>();

/**
 * A rollout's start counts (households read, started, flagged, excluded by reason) over the
 * households in the scope alone: the rollout keeps national counts, so the cohort is read up to
 * where the rollout has got and its exclusions are matched to it.
 */
export async function startingInScope(dataDir: DataDir, input: Pick<RolloutInput, 'rolloutId' | 'cohortId'>, state: Pick<RolloutState, 'nextOffset' | 'allStarted'>, scope: RegionScope): Promise<RolloutCounts> {
  const key = `${dataDir.root}\0${input.rolloutId}\0${scope === 'national' ? scope : scope.join(',')}`;
  const known = settled.get(key);
  if (known) return known;
  const readUpTo = state.allStarted ? Number.POSITIVE_INFINITY : state.nextOffset;
  const inside = new Set<string>();
  const file = cohortPaths(dataDir, input.cohortId).households;
  try {
    for (let offset = 0, end = false; !end && offset < readUpTo; ) {
      const batch = await readHouseholdBatch(dataDir.cipher, file, offset, 1_000);
      for (const { household, endOffset } of batch.households) {
        if (endOffset <= readUpTo && inScope(scope, household.region)) inside.add(household.familyCardNumber);
      }
      ({ nextOffset: offset, end } = batch);
    }
  } catch (err) {
    // The cohort removed since: nothing to count.
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  let counts: RolloutCounts = { ...noCounts(), read: inside.size };
  for (const exclusion of (await readExclusions(dataDir, input.rolloutId)).values()) {
    if (!inside.has(exclusion.householdId)) continue;
    counts = addCounts(counts, exclusion.flaggedOnly ? { ...noCounts(), flagged: 1 } : { ...noCounts(), excluded: { [exclusion.reason]: 1 } });
  }
  const excluded = Object.values(counts.excluded).reduce((sum, n) => sum + n, 0);
  counts = { ...counts, started: counts.read - excluded };
  if (state.allStarted) settled.set(key, counts);
  return counts;
}
