import { HouseholdSchema, type Household } from '../domain/household';
import type { RecordsDb } from '../records/records-db';
import { cohortExists } from './cohort-store';

export interface HouseholdBatch {
  /** Each household with the offset just after it, to resume from. */
  households: { household: Household; endOffset: number }[];
  nextOffset: number;
  end: boolean;
}

/** A cohort a rollout reads that the records store does not hold (yet: one moved from DATA_DIR appears once the API has started). */
export class CohortNotFoundError extends Error {
  constructor(readonly cohortId: string) {
    super(`no cohort ${cohortId} in the records store`);
    this.name = 'CohortNotFoundError';
  }
}

/**
 * Reads up to `maxRows` households of a cohort from an offset, in the cohort's order, so a
 * rollout resumes anywhere in 100,000 households without reading them again. Offsets are what the
 * rows hold (row numbers, or a moved cohort's byte offsets): any offset a batch answered before
 * is a place to resume from. A cohort the store does not hold is an error, never an empty batch
 * (which would end a rollout).
 */
export async function readHouseholdBatch(db: RecordsDb, cohortId: string, fromOffset: number, maxRows: number): Promise<HouseholdBatch> {
  const { rows } = await db.pool.query<{ end_offset: number; sealed: string }>(
    'SELECT end_offset, sealed FROM cohort_households WHERE cohort_id = $1 AND start_offset >= $2 ORDER BY start_offset LIMIT $3',
    [cohortId, fromOffset, maxRows + 1],
  );
  if (rows.length === 0 && !(await cohortExists(db, cohortId))) throw new CohortNotFoundError(cohortId);
  const households = rows.slice(0, maxRows).map((row) => ({ household: HouseholdSchema.parse(JSON.parse(db.cipher.open(row.sealed))), endOffset: row.end_offset }));
  return { households, nextOffset: households.at(-1)?.endOffset ?? fromOffset, end: rows.length <= maxRows };
}

/** The whole cohort, a batch of households at a time. */
export async function* householdBatches(db: RecordsDb, cohortId: string, batchSize: number): AsyncGenerator<Household[]> {
  for (let offset = 0, end = false; !end; ) {
    const batch = await readHouseholdBatch(db, cohortId, offset, batchSize);
    yield batch.households.map((h) => h.household);
    offset = batch.nextOffset;
    end = batch.end;
  }
}
