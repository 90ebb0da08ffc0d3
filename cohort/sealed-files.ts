import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { DataDir } from './cohort-paths';

/**
 * The kinds of file under DATA_DIR that hold sealed records (SECURITY.md, Data at rest): only the
 * personal-data audit now; cohorts and exclusions are in the records store (records/sealed-columns.ts).
 */
export const sealedFileKinds = ['audit log'] as const;
export type SealedFileKind = (typeof sealedFileKinds)[number];

export interface SealedFile {
  kind: SealedFileKind;
  file: string;
  /** One record a line. */
  layout: 'lines';
}

// Where api/audit/personal-data-audit.ts appended before the records store (moved in at API start: api/audit/legacy-audit-import.ts).
const auditFile = /\.ndjson$/;

async function filesIn(dir: string, pattern: RegExp): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile() && pattern.test(e.name)).map((e) => path.join(dir, e.name)).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/** Every file of sealed records under DATA_DIR, by kind, in a fixed order; nothing else there (temporary files being written) is listed. */
export async function sealedFiles(dataDir: DataDir): Promise<SealedFile[]> {
  return (await filesIn(path.join(dataDir.root, 'audit'), auditFile)).map((file) => ({ kind: 'audit log', file, layout: 'lines' }));
}
