import path from 'node:path';

/** Where an imported cohort lives under DATA_DIR: shared by the API (writes) and workers (read). */
export function cohortPaths(dataDir: string, cohortId: string) {
  const dir = path.join(dataDir, 'cohorts', cohortId);
  return { dir, households: path.join(dir, 'households.ndjson'), report: path.join(dir, 'report.json') };
}

/** A rollout's record of the households it excluded, one file per batch (rewritten whole on a retry). */
export function exclusionsPath(dataDir: string, rolloutId: string, fromOffset: number): string {
  return path.join(dataDir, 'rollouts', rolloutId, `excluded-${String(fromOffset).padStart(12, '0')}.ndjson`);
}
