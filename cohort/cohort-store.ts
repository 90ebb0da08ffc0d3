import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { cohortPaths, type DataDir } from './cohort-paths';
import { z } from 'zod';
import { CohortIdSchema } from '../domain/rollout';
import { CohortReportBuilder, CohortReportSchema, readCohort, type CohortSource } from './read-cohort';

/** A cohort's validation report as stored beside it and answered by the API. */
export const StoredCohortReportSchema = CohortReportSchema.extend({
  cohortId: CohortIdSchema,
  format: z.enum(['csv', 'json']),
  importedAt: z.iso.datetime(),
  importedBy: z.string(),
});
export type StoredCohortReport = z.infer<typeof StoredCohortReportSchema>;

/**
 * Streams an upload through the parser into the cohort's household file (one sealed household
 * per line), never holding the file whole. The cohort id is a digest of the valid households
 * (before sealing), so importing the same file again names the same cohort.
 */
export async function saveCohort(dataDir: DataDir, input: CohortSource, format: 'csv' | 'json', importedBy: string): Promise<StoredCohortReport> {
  const staging = path.join(dataDir.root, 'cohorts', `.import-${randomUUID()}`);
  await mkdir(staging, { recursive: true });
  try {
    const out = createWriteStream(path.join(staging, 'households.ndjson'));
    const digest = createHash('sha256');
    const report = new CohortReportBuilder();
    const importedAt = new Date().toISOString();
    for await (const record of readCohort(input, format)) {
      report.add(record);
      if (!('household' in record)) continue;
      const json = JSON.stringify(record.household);
      digest.update(`${json}\n`);
      if (!out.write(`${dataDir.cipher.seal(json)}\n`)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    }
    out.end();
    await finished(out);
    const cohortId = `c-${digest.digest('hex').slice(0, 20)}`;
    const stored: StoredCohortReport = { cohortId, format, importedAt, importedBy, ...report.report() };
    const paths = cohortPaths(dataDir, cohortId);
    if (await stat(paths.dir).catch(() => undefined)) return (await readCohortReport(dataDir, cohortId)) ?? stored;
    // Its bad rows name households by family-card number: sealed like the households.
    await writeFile(path.join(staging, 'report.json'), `${dataDir.cipher.seal(JSON.stringify(stored))}\n`);
    await rename(staging, paths.dir);
    return stored;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** The stored report, parsed (a file damaged on disk is an error, not a report); undefined if there is none. */
export async function readCohortReport(dataDir: DataDir, cohortId: string): Promise<StoredCohortReport | undefined> {
  let text: string;
  try {
    text = await readFile(cohortPaths(dataDir, cohortId).report, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  return StoredCohortReportSchema.parse(JSON.parse(dataDir.cipher.open(text.trim())));
}
