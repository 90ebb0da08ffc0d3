import { createReadStream } from 'node:fs';
import { readdir, readFile, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import type { z } from 'zod';
import { HouseholdSchema } from '../domain/household';
import { ExclusionSchema } from '../domain/screening';
import { DecryptionError } from '../lib/key-ring';
import { isSealed } from '../lib/record-cipher';
import { copyRows } from '../records/copy-rows';
import type { RecordsDb } from '../records/records-db';
import { exclusionRow, insertExclusions } from '../records/rollout-exclusions';
import { inTransaction } from '../records/transaction';
import { cohortPaths, legacyExclusionsDir, type DataDir } from './cohort-paths';
import { StoredCohortReportSchema, type CohortRecords } from './cohort-store';

export interface LegacyMoveCounts {
  cohorts: number;
  households: number;
  exclusionFiles: number;
  exclusions: number;
  /** Cohorts and exclusion files left where they were (a record that would not open): tried again at the next start. */
  kept: number;
}

// One API replica moves the files at a time; the others wait, then find them gone (or their own to move).
const moveLock = 7_640_720_000;
const exclusionsFile = /^excluded-(\d+)\.ndjson$/;

/**
 * Moves what Sinergi kept under DATA_DIR before the records store held it: each cohort (its
 * households and report) and each rollout's exclusion files, one cohort or rollout per
 * transaction, the files removed once it is committed. A moved cohort's households keep the byte
 * offsets of their lines (start: the line's first byte; end: the byte after its newline), so a
 * rollout started before the move resumes at the household it had reached. Idempotent: a cohort
 * already in the store is not copied again, an exclusion already there is kept. Run at API start;
 * answers counts, and problems that name a cohort or file, a line and a key id, never content.
 */
export async function moveLegacyRecords(store: CohortRecords & { dataDir: DataDir }): Promise<{ counts: LegacyMoveCounts; problems: string[] }> {
  const counts: LegacyMoveCounts = { cohorts: 0, households: 0, exclusionFiles: 0, exclusions: 0, kept: 0 };
  const problems: string[] = [];
  const { dataDir } = store;
  const listed = async () => ({ cohortIds: await subdirectories(path.join(dataDir.root, 'cohorts')), rolloutIds: await subdirectories(path.join(dataDir.root, 'rollouts')) });
  // Nothing to move (every start after the first): no lock taken.
  const first = await listed();
  if (!first.cohortIds.length && !first.rolloutIds.length) return { counts, problems };
  const lock = await store.records.pool.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [moveLock]);
    // Listed again under the lock: a replica sharing DATA_DIR may have moved them meanwhile.
    const { cohortIds, rolloutIds } = await listed();
    for (const cohortId of cohortIds) {
      try {
        const households = await moveCohort(store, cohortId);
        counts.cohorts += 1;
        counts.households += households;
        await rm(cohortPaths(dataDir, cohortId).dir, { recursive: true, force: true });
      } catch (err) {
        counts.kept += 1;
        problems.push(`cohort ${cohortId}: ${describe(err)}`);
      }
    }
    for (const rolloutId of rolloutIds) {
      const dir = legacyExclusionsDir(dataDir, rolloutId);
      let files: string[] = [];
      try {
        files = (await readdir(dir)).filter((f) => exclusionsFile.test(f)).sort();
        const moved = await inTransaction(store.records, async (client) => {
          let n = 0;
          for (const file of files) {
            const fromOffset = Number(exclusionsFile.exec(file)![1]);
            const rows = (await readFile(path.join(dir, file), 'utf8'))
              .split('\n')
              .map((line) => line.trim())
              .filter(Boolean)
              .map((line, i) => exclusionRow(store.records, store.householdKeyOf, parseRecord(store.records, line, ExclusionSchema, `${file} line ${i + 1}`)));
            // What a batch retried since the upgrade wrote is newer than the file: kept.
            await insertExclusions(client, rolloutId, fromOffset, rows, 'keep');
            n += rows.length;
          }
          return n;
        });
        counts.exclusionFiles += files.length;
        counts.exclusions += moved;
        for (const file of files) await rm(path.join(dir, file), { force: true });
        await rmdir(dir).catch(() => undefined);
      } catch (err) {
        counts.kept += files.length;
        problems.push(`rollout ${rolloutId}: ${describe(err)}`);
      }
    }
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [moveLock]).catch(() => undefined);
    lock.release();
  }
  return { counts, problems };
}

/** Copies one cohort directory into the store; answers how many households it copied (0 if it was there already). */
async function moveCohort(store: CohortRecords & { dataDir: DataDir }, cohortId: string): Promise<number> {
  const db = store.records;
  const paths = cohortPaths(store.dataDir, cohortId);
  const names = await readdir(paths.dir);
  if (!names.includes(path.basename(paths.report))) throw new UnreadableRecord('no report.json beside its households');
  const report = parseRecord(db, (await readFile(paths.report, 'utf8')).trim(), StoredCohortReportSchema, 'report.json');
  return inTransaction(db, async (client) => {
    const inserted = await client.query(
      `INSERT INTO cohorts (cohort_id, format, imported_at, imported_by, households, report) VALUES ($1, $2, $3, $4, 0, $5)
       ON CONFLICT (cohort_id) DO NOTHING`,
      [cohortId, report.format, report.importedAt, report.importedBy, sealed(db, JSON.stringify(report))],
    );
    if (!inserted.rowCount) return 0;
    async function* households() {
      for await (const { line, start, end, n } of linesWithOffsets(paths.households)) {
        const record = sealed(db, line);
        const household = parseRecord(db, record, HouseholdSchema, `households.ndjson line ${n}`);
        yield [cohortId, start, end, store.householdKeyOf(household.familyCardNumber), household.region, record];
      }
    }
    const copied = names.includes(path.basename(paths.households))
      ? await copyRows(client, 'cohort_households (cohort_id, start_offset, end_offset, household_key, region, sealed)', households())
      : 0;
    await client.query('UPDATE cohorts SET households = $2 WHERE cohort_id = $1', [cohortId, copied]);
    return copied;
  });
}

/**
 * The non-blank lines of a file with their byte offsets, read as a rollout read them: a line
 * starts where the one before it ended, ends after its newline; an unterminated last line (a
 * write cut short) was never read, and is left out.
 */
async function* linesWithOffsets(file: string): AsyncGenerator<{ line: string; start: number; end: number; n: number }> {
  let carry: Buffer = Buffer.alloc(0);
  let offset = 0;
  let n = 0;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    const data = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    let from = 0;
    for (let nl = data.indexOf(10); nl !== -1; nl = data.indexOf(10, from)) {
      const line = data.subarray(from, nl).toString('utf8').trim();
      n += 1;
      if (line) yield { line, start: offset + from, end: offset + nl + 1, n };
      from = nl + 1;
    }
    offset += from;
    carry = data.subarray(from);
  }
}

/** A record as the store keeps it: sealed (one from before encryption is sealed now; one under an older key stays as it is, for `data reseal`). */
const sealed = (db: RecordsDb, record: string) => (isSealed(record) ? record : db.cipher.seal(record));

/** A record that would not move; its message names where and why (a key id, a kind of error), never the content. */
class UnreadableRecord extends Error {}

function parseRecord<T>(db: RecordsDb, record: string, schema: z.ZodType<T>, where: string): T {
  try {
    return schema.parse(JSON.parse(db.cipher.open(record)));
  } catch (err) {
    throw new UnreadableRecord(`${where}: ${err instanceof DecryptionError ? err.message : err instanceof Error ? err.name : 'unreadable'}`);
  }
}

/** Why a move failed: a record's problem as it names it; the database's own message (it quotes no sealed content); else the kind of error. */
const describe = (err: unknown) =>
  err instanceof UnreadableRecord || err instanceof pg.DatabaseError ? err.message : err instanceof Error ? [err.name, (err as NodeJS.ErrnoException).code].filter(Boolean).join(' ') : 'error';

async function subdirectories(dir: string): Promise<string[]> {
  try {
    // Leaving out an interrupted import's staging directory (.import-...): never a cohort.
    return (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}
