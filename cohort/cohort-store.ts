import { createHash } from 'node:crypto';
import { z } from 'zod';
import { CohortIdSchema } from '../domain/rollout';
import type { HouseholdKeyOf } from '../lib/household-pseudonym';
import { copyRows } from '../records/copy-rows';
import type { RecordsDb } from '../records/records-db';
import { inTransaction } from '../records/transaction';
import { CohortReportBuilder, CohortReportSchema, readCohort, type CohortSource } from './read-cohort';

/** A cohort's validation report as stored beside it and answered by the API. */
export const StoredCohortReportSchema = CohortReportSchema.extend({
  cohortId: CohortIdSchema,
  format: z.enum(['csv', 'json']),
  importedAt: z.iso.datetime(),
  importedBy: z.string(),
});
export type StoredCohortReport = z.infer<typeof StoredCohortReportSchema>;

/** Where cohorts are kept (the records store) and the pseudonym their households are filed under. */
export interface CohortRecords {
  records: RecordsDb;
  householdKeyOf: HouseholdKeyOf;
}

/**
 * Streams an upload through the parser into the records store with COPY (one sealed household a
 * row, numbered from 0), never holding the file whole. The cohort id is a digest of the valid
 * households (before sealing), so importing the same file again names the same cohort: the rows
 * are copied into a temporary table first and kept under that id only if no cohort has it yet,
 * all in one transaction (an import cut off leaves nothing).
 */
export async function saveCohort(store: CohortRecords, input: CohortSource, format: 'csv' | 'json', importedBy: string): Promise<StoredCohortReport> {
  const { cipher } = store.records;
  const digest = createHash('sha256');
  const report = new CohortReportBuilder();
  const importedAt = new Date().toISOString();
  async function* households() {
    let n = 0;
    for await (const record of readCohort(input, format)) {
      report.add(record);
      if (!('household' in record)) continue;
      const { household } = record;
      const json = JSON.stringify(household);
      digest.update(`${json}\n`);
      yield [n++, store.householdKeyOf(household.familyCardNumber), household.region, cipher.seal(json)];
    }
  }
  const { stored, created } = await inTransaction(store.records, async (client) => {
    await client.query('CREATE TEMPORARY TABLE imported_households (n bigint, household_key text, region text, sealed text) ON COMMIT DROP');
    const count = await copyRows(client, 'imported_households (n, household_key, region, sealed)', households());
    const cohortId = `c-${digest.digest('hex').slice(0, 20)}`;
    const stored: StoredCohortReport = { cohortId, format, importedAt, importedBy, ...report.report() };
    // An import of the same households at the same moment waits here for the other to commit, then finds its row.
    const inserted = await client.query(
      `INSERT INTO cohorts (cohort_id, format, imported_at, imported_by, households, report) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (cohort_id) DO NOTHING`,
      // Its bad rows name households by family-card number: sealed like the households.
      [cohortId, format, importedAt, importedBy, count, cipher.seal(JSON.stringify(stored))],
    );
    if (!inserted.rowCount) return { stored, created: false };
    await client.query(
      `INSERT INTO cohort_households (cohort_id, start_offset, end_offset, household_key, region, sealed)
       SELECT $1, n, n + 1, household_key, region, sealed FROM imported_households`,
      [cohortId],
    );
    return { stored, created: true };
  });
  return created ? stored : ((await readCohortReport(store.records, stored.cohortId)) ?? stored);
}

/** The stored report, parsed (a record damaged in the store is an error, not a report); undefined if there is none. */
export async function readCohortReport(db: RecordsDb, cohortId: string): Promise<StoredCohortReport | undefined> {
  const { rows } = await db.pool.query<{ report: string }>('SELECT report FROM cohorts WHERE cohort_id = $1', [cohortId]);
  return rows[0] && StoredCohortReportSchema.parse(JSON.parse(db.cipher.open(rows[0].report)));
}

/** Whether a cohort was imported (its households are then all there: they are written in one transaction with it). */
export async function cohortExists(db: RecordsDb, cohortId: string): Promise<boolean> {
  return Boolean((await db.pool.query('SELECT 1 FROM cohorts WHERE cohort_id = $1', [cohortId])).rowCount);
}
