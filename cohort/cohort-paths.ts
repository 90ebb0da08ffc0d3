import path from 'node:path';
import type { RecordCipher } from '../lib/record-cipher';

/**
 * DATA_DIR and the cipher every record of personal data under it is sealed with (the payload key
 * ring): shared by the API (imports, previews, reports) and the workers (rollout batches).
 */
export interface DataDir {
  root: string;
  cipher: RecordCipher;
}

/**
 * Where an imported cohort lives: `households.ndjson` (one sealed household a line) and
 * `report.json` (its validation report, one sealed record). Plain JSON from before encryption is still read.
 */
export function cohortPaths(dataDir: DataDir, cohortId: string) {
  const dir = path.join(dataDir.root, 'cohorts', cohortId);
  return { dir, households: path.join(dir, 'households.ndjson'), report: path.join(dir, 'report.json') };
}

/** A rollout's record of the households it excluded, one file per batch of sealed lines (rewritten whole on a retry). */
export function exclusionsPath(dataDir: DataDir, rolloutId: string, fromOffset: number): string {
  return path.join(dataDir.root, 'rollouts', rolloutId, `excluded-${String(fromOffset).padStart(12, '0')}.ndjson`);
}
