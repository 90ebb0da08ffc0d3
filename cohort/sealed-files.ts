import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { cohortPaths, type DataDir } from './cohort-paths';

/** The kinds of file under DATA_DIR that hold sealed records (see cohort-paths.ts and SECURITY.md, Data at rest). */
export const sealedFileKinds = ['cohort households', 'cohort report', 'rollout exclusions', 'audit log'] as const;
export type SealedFileKind = (typeof sealedFileKinds)[number];

export interface SealedFile {
  kind: SealedFileKind;
  file: string;
  /** `lines`: one record a line; `whole`: the file is one record (a report, which before encryption was plain JSON). */
  layout: 'lines' | 'whole';
  /** The cohort a households file belongs to: a rollout still starting reads it by byte offset. */
  cohortId?: string;
}

const exclusionsFile = /^excluded-\d+\.ndjson$/;
// api/audit/personal-data-audit.ts appends to audit/personal-data.ndjson.
const auditFile = /\.ndjson$/;

/** The directories under `dir` (none if it does not exist), leaving out staging ones (`.import-...`). */
async function subdirectories(dir: string): Promise<string[]> {
  return (await entriesOf(dir)).filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort();
}

async function entriesOf(dir: string) {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

async function filesIn(dir: string, pattern: RegExp): Promise<string[]> {
  return (await entriesOf(dir)).filter((e) => e.isFile() && pattern.test(e.name)).map((e) => path.join(dir, e.name)).sort();
}

/**
 * Every file of sealed records under DATA_DIR, by kind, in a fixed order; nothing else there (the
 * Temporal dev server's database, staging directories, temporary files being written) is listed.
 */
export async function sealedFiles(dataDir: DataDir): Promise<SealedFile[]> {
  const found: SealedFile[] = [];
  for (const cohortId of await subdirectories(path.join(dataDir.root, 'cohorts'))) {
    const paths = cohortPaths(dataDir, cohortId);
    const names = (await entriesOf(paths.dir)).filter((e) => e.isFile()).map((e) => path.join(paths.dir, e.name));
    if (names.includes(paths.households)) found.push({ kind: 'cohort households', file: paths.households, layout: 'lines', cohortId });
    if (names.includes(paths.report)) found.push({ kind: 'cohort report', file: paths.report, layout: 'whole', cohortId });
  }
  const rollouts = path.join(dataDir.root, 'rollouts');
  for (const rolloutId of await subdirectories(rollouts)) {
    for (const file of await filesIn(path.join(rollouts, rolloutId), exclusionsFile)) found.push({ kind: 'rollout exclusions', file, layout: 'lines' });
  }
  for (const file of await filesIn(path.join(dataDir.root, 'audit'), auditFile)) found.push({ kind: 'audit log', file, layout: 'lines' });
  return found;
}
