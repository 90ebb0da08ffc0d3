import path from 'node:path';
import type { RecordCipher } from '../lib/record-cipher';

/**
 * DATA_DIR and the cipher every record of personal data under it is sealed with (the payload key
 * ring). Cohorts and exclusions live in the records store now; what was written here before is
 * moved there at API start (legacy-data-dir.ts).
 */
export interface DataDir {
  root: string;
  cipher: RecordCipher;
}

/**
 * Where an imported cohort was kept before the records store: `households.ndjson` (one sealed
 * household a line, or plain JSON from before encryption) and `report.json` (its validation report).
 */
export function cohortPaths(dataDir: DataDir, cohortId: string) {
  const dir = path.join(dataDir.root, 'cohorts', cohortId);
  return { dir, households: path.join(dir, 'households.ndjson'), report: path.join(dir, 'report.json') };
}

/** Where a rollout's exclusions were kept before the records store: one file per batch, `excluded-<offset>.ndjson`. */
export const legacyExclusionsDir = (dataDir: DataDir, rolloutId: string) => path.join(dataDir.root, 'rollouts', rolloutId);
