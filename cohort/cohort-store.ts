import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { cohortPaths } from './cohort-paths';
import { readCohort } from './read-cohort';

type CohortRecord = Awaited<ReturnType<ReturnType<typeof readCohort>['next']>> extends IteratorResult<infer R> ? R : never;
type RowProblems = Extract<CohortRecord, { problems: unknown }>;

const listedInvalidRows = 1_000;

export interface CohortReport {
  cohortId: string;
  format: 'csv' | 'json';
  importedAt: string;
  importedBy: string;
  rows: number;
  valid: number;
  invalid: number;
  /** Rows with each problem code (a row may count under several). */
  problems: Record<string, number>;
  /** The first invalid rows, in full; `invalidRowsTruncated` says when there were more. */
  invalidRows: RowProblems[];
  invalidRowsTruncated: boolean;
}

/**
 * Streams an upload through the parser into the cohort's household file (one JSON household
 * per line), never holding the file whole. The cohort id is a digest of the valid households,
 * so importing the same file again names the same cohort.
 */
export async function saveCohort(
  dataDir: string,
  input: AsyncIterable<Buffer | string> | NodeJS.ReadableStream,
  format: 'csv' | 'json',
  importedBy: string,
): Promise<CohortReport> {
  const staging = path.join(dataDir, 'cohorts', `.import-${randomUUID()}`);
  await mkdir(staging, { recursive: true });
  try {
    const out = createWriteStream(path.join(staging, 'households.ndjson'));
    const digest = createHash('sha256');
    const report: Omit<CohortReport, 'cohortId'> = {
      format,
      importedAt: new Date().toISOString(),
      importedBy,
      rows: 0,
      valid: 0,
      invalid: 0,
      problems: {},
      invalidRows: [],
      invalidRowsTruncated: false,
    };
    for await (const record of readCohort(input, format)) {
      report.rows += 1;
      if ('household' in record) {
        const line = `${JSON.stringify(record.household)}\n`;
        digest.update(line);
        report.valid += 1;
        if (!out.write(line)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
        continue;
      }
      report.invalid += 1;
      for (const code of new Set(record.problems.map((p) => p.code))) report.problems[code] = (report.problems[code] ?? 0) + 1;
      if (report.invalidRows.length < listedInvalidRows) report.invalidRows.push(record);
      else report.invalidRowsTruncated = true;
    }
    out.end();
    await finished(out);
    const cohortId = `c-${digest.digest('hex').slice(0, 20)}`;
    const full: CohortReport = { cohortId, ...report };
    await writeFile(path.join(staging, 'report.json'), JSON.stringify(full));
    const { dir } = cohortPaths(dataDir, cohortId);
    if (await stat(dir).catch(() => undefined)) return JSON.parse(await readFile(cohortPaths(dataDir, cohortId).report, 'utf8')) as CohortReport;
    await rename(staging, dir);
    return full;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

export async function readCohortReport(dataDir: string, cohortId: string): Promise<CohortReport | undefined> {
  try {
    return JSON.parse(await readFile(cohortPaths(dataDir, cohortId).report, 'utf8')) as CohortReport;
  } catch {
    return undefined;
  }
}
