import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CohortNotFoundError, householdBatches, readHouseholdBatch } from '../../cohort/cohort-households';
import { cohortExists, readCohortReport, saveCohort, type StoredCohortReport } from '../../cohort/cohort-store';
import { moveLegacyRecords } from '../../cohort/legacy-data-dir';
import { CohortFormatError } from '../../cohort/read-cohort';
import { developmentHouseholdKey } from '../../config/config';
import { syntheticCohortCsv, syntheticHousehold } from '../../dev/synthetic-cohort';
import type { Household } from '../../domain/household';
import type { Exclusion } from '../../domain/screening';
import { householdPseudonym } from '../../lib/household-pseudonym';
import { keyIdOf, RecordCipher } from '../../lib/record-cipher';
import { dropDatabase, ensureDatabase, migrateRecords, openRecordsDb, type RecordsDb } from '../../records/records-db';
import { resealColumns } from '../../records/reseal-columns';
import { writeBatchExclusions } from '../../records/rollout-exclusions';
import { sealedColumns } from '../../records/sealed-columns';
import { cohortCsv, cohortHousehold } from '../helpers/cohorts';

const k1 = { id: 'store-1', key: randomBytes(32) };
const k2 = { id: 'store-2', key: randomBytes(32) };
const householdKeyOf = householdPseudonym(developmentHouseholdKey);
const secretsOf = (h: Household) => [h.familyCardNumber, h.headNik, h.headName, h.phone, h.email].filter((v): v is string => Boolean(v));

/** Cohorts, their households and rollouts' exclusions in the records store (PostgreSQL), imported through COPY. */
describe('the cohort store', () => {
  const database = `cohorts_${process.pid}_${Date.now().toString(36)}`;
  let url: string;
  let db: RecordsDb;
  let dataDir: string;
  const store = () => ({ records: db, householdKeyOf });
  const q = async <T extends object>(sql: string, params: unknown[] = []) => (await db.pool.query<T>(sql, params)).rows;
  const save = (csv: Iterable<string> | string, as = store()) => saveCohort(as, Readable.from(typeof csv === 'string' ? [csv] : csv), 'csv', 'test-coordinator');
  const synthetic = (count: number, prefix = 8) => syntheticCohortCsv(count, prefix);

  beforeAll(async () => {
    url = await ensureDatabase(inject('databaseUrl'), database);
    await migrateRecords(url);
    db = openRecordsDb(url, new RecordCipher([k1]));
    dataDir = await mkdtemp(path.join(tmpdir(), 'sinergi-cohort-store-'));
  });
  afterAll(async () => {
    await db?.pool.end();
    await dropDatabase(inject('databaseUrl'), database);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('imports 3,000 households through COPY, numbered in file order, and reads them back a batch at a time from any offset', async () => {
    const started = Date.now();
    const report = await save(synthetic(3_000));
    expect(report).toMatchObject({ rows: 3_000, valid: 3_000, invalid: 0, format: 'csv', importedBy: 'test-coordinator' });
    expect(Date.now() - started).toBeLessThan(30_000);
    const { cohortId } = report;
    expect(await q('SELECT households, format, imported_by FROM cohorts WHERE cohort_id = $1', [cohortId])).toEqual([{ households: 3_000, format: 'csv', imported_by: 'test-coordinator' }]);
    const offsets = await q<{ start_offset: number; end_offset: number; region: string; regency: string; household_key: string }>(
      'SELECT start_offset, end_offset, region, regency, household_key FROM cohort_households WHERE cohort_id = $1 ORDER BY start_offset',
      [cohortId],
    );
    expect(offsets).toHaveLength(3_000);
    offsets.forEach((row, i) => {
      const household = syntheticHousehold(i, 8);
      expect(row).toEqual({ start_offset: i, end_offset: i + 1, region: household.region, regency: household.region.slice(0, 5), household_key: householdKeyOf(household.familyCardNumber) });
    });

    // The whole cohort in batches of 700, in order.
    const read: Household[] = [];
    for await (const batch of householdBatches(db, cohortId, 700)) read.push(...batch);
    expect(read.map((h) => h.familyCardNumber)).toEqual(Array.from({ length: 3_000 }, (_, i) => syntheticHousehold(i, 8).familyCardNumber));
    expect(read[1_234]).toEqual(syntheticHousehold(1_234, 8));

    // From the middle, as a rollout resumes: the batch starts at that household, and says where to go on.
    const middle = await readHouseholdBatch(db, cohortId, 1_234, 10);
    expect(middle.households.map((h) => h.household.familyCardNumber)).toEqual(Array.from({ length: 10 }, (_, i) => syntheticHousehold(1_234 + i, 8).familyCardNumber));
    expect(middle.households.map((h) => h.endOffset)).toEqual(Array.from({ length: 10 }, (_, i) => 1_235 + i));
    expect(middle).toMatchObject({ nextOffset: 1_244, end: false });
    expect(await readHouseholdBatch(db, cohortId, 2_990, 10)).toMatchObject({ nextOffset: 3_000, end: true });
    expect(await readHouseholdBatch(db, cohortId, 2_990, 9)).toMatchObject({ nextOffset: 2_999, end: false });
    expect(await readHouseholdBatch(db, cohortId, 3_000, 10)).toEqual({ households: [], nextOffset: 3_000, end: true });
    // Nothing more to read, as a resumed batch asks: the answer says whether the cohort goes on.
    expect(await readHouseholdBatch(db, cohortId, 5, 0)).toEqual({ households: [], nextOffset: 5, end: false });
    // A cohort the store does not hold is an error, never an empty batch that would end a rollout.
    await expect(readHouseholdBatch(db, 'c-00000000000000000000', 0, 10)).rejects.toThrow(CohortNotFoundError);
  });

  it('names the same cohort when the same file is imported twice, even at once, and keeps one copy', async () => {
    const csv = [...synthetic(500, 7)].join('');
    const [a, b] = await Promise.all([save(csv), save(csv)]);
    const c = await save(csv);
    expect(new Set([a.cohortId, b.cohortId, c.cohortId]).size).toBe(1);
    // Each answers the report of the import that created the cohort.
    expect(new Set([a, b, c].map((r) => r.importedAt))).toEqual(new Set([(await readCohortReport(db, a.cohortId))!.importedAt]));
    expect(await q('SELECT count(*)::int AS n FROM cohorts WHERE cohort_id = $1', [a.cohortId])).toEqual([{ n: 1 }]);
    expect(await q('SELECT count(*)::int AS n FROM cohort_households WHERE cohort_id = $1', [a.cohortId])).toEqual([{ n: 500 }]);
  });

  it('leaves nothing of an upload that does not read as a cohort, or breaks off midway', async () => {
    const before = await q<{ n: number }>('SELECT count(*)::int AS n FROM cohort_households');
    await expect(save('no,header,here\n1,2,3\n')).rejects.toThrow(CohortFormatError);
    async function* cutOff() {
      let n = 0;
      for (const line of synthetic(2_000, 6)) {
        if (++n === 1_500) throw new Error('connection reset');
        yield line;
      }
    }
    await expect(saveCohort(store(), cutOff(), 'csv', 'test')).rejects.toThrow('connection reset');
    expect(await q<{ n: number }>('SELECT count(*)::int AS n FROM cohort_households')).toEqual(before);
    // The pool is whole: the next import goes through.
    expect((await save(synthetic(3, 5))).valid).toBe(3);
  });

  it('keeps no KK, NIK, name, phone or e-mail in clear in any column of any table', async () => {
    const households = [
      cohortHousehold({ headName: 'Kartika Purnamasari', phone: '+6281377788899', email: 'kartika.purnama@contoh.id' }),
      cohortHousehold({ headName: 'Suryadi Wiryawan', phone: '081244455566', email: 'suryadi.w@contoh.id', decile: 6 }),
    ];
    const invalid = cohortHousehold({ headName: 'Lestari Handayani', headNik: '3509010000000000' });
    const report = await save(cohortCsv([...households, invalid]));
    expect(report).toMatchObject({ valid: 2, invalid: 1, invalidRows: [{ familyCardNumber: invalid.familyCardNumber }] });
    const exclusion: Exclusion = { householdId: households[1]!.familyCardNumber, reason: 'decile-above-maximum', detail: 'decile 6 above 2' };
    await writeBatchExclusions(db, householdKeyOf, 'rollout-at-rest', 0, [exclusion]);
    const tables = await q<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'");
    expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining(['cohorts', 'cohort_households', 'exclusions', 'runs']));
    const secrets = [...households, invalid].flatMap(secretsOf);
    for (const { table_name: table } of tables) {
      const rows = await q<{ row: string }>(`SELECT t::text AS row FROM "${table}" t`);
      for (const { row } of rows) for (const secret of secrets) expect(row, `${table} holds ${secret}`).not.toContain(secret);
    }
    // Each sealed value names the key it was sealed with.
    for (const { table, column } of sealedColumns.filter((c) => ['cohorts', 'cohort_households', 'exclusions'].includes(c.table))) {
      const values = await q<{ value: string }>(`SELECT "${column}" AS value FROM "${table}"`);
      expect(values.length, table).toBeGreaterThan(0);
      expect(new Set(values.map((v) => keyIdOf(v.value))), table).toEqual(new Set([k1.id]));
    }
  });

  it('replaces a retried batch’s exclusions whole, and leaves other batches’ alone', async () => {
    const rolloutId = 'rollout-retried';
    const [a, b, c, d] = Array.from({ length: 4 }, () => cohortHousehold());
    const excluded = (h: Household, flaggedOnly?: boolean): Exclusion => ({ householdId: h.familyCardNumber, reason: flaggedOnly ? 'overlapping-program' : 'already-enrolled', detail: 'active run x', ...(flaggedOnly && { flaggedOnly }) });
    await writeBatchExclusions(db, householdKeyOf, rolloutId, 0, [excluded(a!), excluded(b!, true)]);
    await writeBatchExclusions(db, householdKeyOf, rolloutId, 200, [excluded(c!)]);
    // The batch at 0 retried: it finds b held by another run now, and no longer a.
    await writeBatchExclusions(db, householdKeyOf, rolloutId, 0, [excluded(b!), excluded(d!)]);
    await writeBatchExclusions(db, householdKeyOf, rolloutId, 0, [excluded(b!), excluded(d!)]);
    const rows = await q<{ household_key: string; from_offset: number; reason: string; flagged_only: boolean; sealed: string }>(
      'SELECT household_key, from_offset, reason, flagged_only, sealed FROM exclusions WHERE rollout_id = $1 ORDER BY from_offset, reason',
      [rolloutId],
    );
    expect(rows.map((r) => [r.household_key, r.from_offset, r.reason, r.flagged_only]).sort()).toEqual(
      [
        [householdKeyOf(b!.familyCardNumber), 0, 'already-enrolled', false],
        [householdKeyOf(d!.familyCardNumber), 0, 'already-enrolled', false],
        [householdKeyOf(c!.familyCardNumber), 200, 'already-enrolled', false],
      ].sort(),
    );
    expect(rows.map((r) => JSON.parse(db.cipher.open(r.sealed)).householdId).sort()).toEqual([b, c, d].map((h) => h!.familyCardNumber).sort());
  });

  describe('files an earlier version kept under DATA_DIR', () => {
    const households = Array.from({ length: 6 }, () => cohortHousehold());
    const cohortId = `c-${randomBytes(10).toString('hex')}`;
    const unreadableCohort = `c-${randomBytes(10).toString('hex')}`;
    const rolloutId = 'legacy-rollout';
    const report = (id: string, valid: number): StoredCohortReport => ({ cohortId: id, format: 'csv', importedAt: '2026-10-01T08:00:00.000Z', importedBy: 'old-coordinator', rows: valid, valid, invalid: 0, problems: {}, invalidRows: [], invalidRowsTruncated: false });
    const byteOffsets: { start: number; end: number }[] = [];

    beforeAll(async () => {
      // As the old import wrote them: a sealed household a line; one line from before encryption, plain.
      const lines = households.map((h, i) => (i === 2 ? JSON.stringify(h) : db.cipher.seal(JSON.stringify(h))));
      let offset = 0;
      for (const line of lines) {
        const end = offset + Buffer.byteLength(`${line}\n`);
        byteOffsets.push({ start: offset, end });
        offset = end;
      }
      const put = async (name: string, text: string) => {
        await mkdir(path.dirname(path.join(dataDir, name)), { recursive: true });
        await writeFile(path.join(dataDir, name), text);
      };
      await put(`cohorts/${cohortId}/households.ndjson`, lines.map((l) => `${l}\n`).join(''));
      await put(`cohorts/${cohortId}/report.json`, `${db.cipher.seal(JSON.stringify(report(cohortId, households.length)))}\n`);
      // Sealed under a key this ring lacks: left where it is.
      const other = new RecordCipher([k2]);
      await put(`cohorts/${unreadableCohort}/households.ndjson`, `${other.seal(JSON.stringify(households[0]))}\n`);
      await put(`cohorts/${unreadableCohort}/report.json`, other.seal(JSON.stringify(report(unreadableCohort, 1))));
      // Two batches' exclusions, by their first byte offset.
      const exclusion = (h: Household): Exclusion => ({ householdId: h.familyCardNumber, reason: 'decile-above-maximum', detail: 'decile 5 above 2' });
      await put(`rollouts/${rolloutId}/excluded-${String(0).padStart(12, '0')}.ndjson`, `${db.cipher.seal(JSON.stringify(exclusion(households[1]!)))}\n`);
      await put(`rollouts/${rolloutId}/excluded-${String(byteOffsets[3]!.start).padStart(12, '0')}.ndjson`, `${JSON.stringify(exclusion(households[4]!))}\n${db.cipher.seal(JSON.stringify(exclusion(households[5]!)))}\n`);
      // A staging directory of an import cut off: no cohort, left alone.
      await put('cohorts/.import-1234/households.ndjson', `${db.cipher.seal(JSON.stringify(households[0]))}\n`);
    });

    it('moves cohorts and exclusions into the store with their byte offsets, removes the files, and reports only counts and key ids', async () => {
      const moved = await moveLegacyRecords({ ...store(), dataDir: { root: dataDir, cipher: db.cipher } });
      expect(moved.counts).toEqual({ cohorts: 1, households: 6, exclusionFiles: 2, exclusions: 3, kept: 1 });
      expect(moved.problems).toEqual([expect.stringContaining(`cohort ${unreadableCohort}: report.json: record encrypted with unknown key id "store-2"`)]);
      for (const secret of households.flatMap(secretsOf)) expect(JSON.stringify(moved)).not.toContain(secret);

      const rows = await q<{ start_offset: number; end_offset: number; household_key: string; sealed: string }>(
        'SELECT start_offset, end_offset, household_key, sealed FROM cohort_households WHERE cohort_id = $1 ORDER BY start_offset',
        [cohortId],
      );
      expect(rows.map((r) => ({ start: r.start_offset, end: r.end_offset }))).toEqual(byteOffsets);
      expect(rows.map((r) => r.household_key)).toEqual(households.map((h) => householdKeyOf(h.familyCardNumber)));
      // The plain line is sealed on the way in.
      expect(rows.every((r) => keyIdOf(r.sealed) === k1.id)).toBe(true);
      expect(await readCohortReport(db, cohortId)).toEqual(report(cohortId, households.length));
      expect(await q('SELECT households, imported_by FROM cohorts WHERE cohort_id = $1', [cohortId])).toEqual([{ households: 6, imported_by: 'old-coordinator' }]);
      const exclusions = await q<{ household_key: string; from_offset: number; reason: string }>('SELECT household_key, from_offset, reason FROM exclusions WHERE rollout_id = $1 ORDER BY from_offset, household_key', [rolloutId]);
      expect(exclusions).toEqual(
        [
          { household_key: householdKeyOf(households[1]!.familyCardNumber), from_offset: 0, reason: 'decile-above-maximum' },
          ...[4, 5].map((i) => ({ household_key: householdKeyOf(households[i]!.familyCardNumber), from_offset: byteOffsets[3]!.start, reason: 'decile-above-maximum' })).sort((a, b) => a.household_key.localeCompare(b.household_key)),
        ],
      );

      // Gone from DATA_DIR, but what would not open and the staging directory.
      expect((await readdir(path.join(dataDir, 'cohorts'))).sort()).toEqual(['.import-1234', unreadableCohort].sort());
      expect(await readdir(path.join(dataDir, 'rollouts'))).toEqual([]);
      // A second start moves nothing more and changes nothing.
      const again = await moveLegacyRecords({ ...store(), dataDir: { root: dataDir, cipher: db.cipher } });
      expect(again.counts).toEqual({ cohorts: 0, households: 0, exclusionFiles: 0, exclusions: 0, kept: 1 });
      expect(await q('SELECT count(*)::int AS n FROM cohort_households WHERE cohort_id = $1', [cohortId])).toEqual([{ n: 6 }]);
      expect(await cohortExists(db, unreadableCohort)).toBe(false);
    });

    it('resumes a rollout started before the move at the household its byte offset names', async () => {
      // The old reader answered each household's end offset (the byte after its line): where the next batch began.
      for (let i = 0; i < households.length; i++) {
        const batch = await readHouseholdBatch(db, cohortId, byteOffsets[i]!.start, 2);
        expect(batch.households.map((h) => h.household), `from byte ${byteOffsets[i]!.start}`).toEqual(households.slice(i, i + 2));
        expect(batch.households.map((h) => h.endOffset)).toEqual(byteOffsets.slice(i, i + 2).map((o) => o.end));
        expect(batch.nextOffset).toBe(byteOffsets[Math.min(i + 1, households.length - 1)]!.end);
        expect(batch.end).toBe(i + 2 >= households.length);
      }
      expect(await readHouseholdBatch(db, cohortId, byteOffsets.at(-1)!.end, 200)).toEqual({ households: [], nextOffset: byteOffsets.at(-1)!.end, end: true });
    });
  });

  it('reseals plain values and values under an older key in every sealed column, counts what will not open, and a second run changes nothing', async () => {
    const resealDb = openRecordsDb(url, new RecordCipher([k2, k1]));
    const lostKey = new RecordCipher([{ id: 'store-lost', key: randomBytes(32) }]);
    try {
      // A plain report (written before sealing) and a household under a key the ring lacks.
      const { cohortId } = await save(cohortCsv([cohortHousehold(), cohortHousehold()]));
      await db.pool.query('UPDATE cohorts SET report = $2 WHERE cohort_id = $1', [cohortId, JSON.stringify({ plain: true })]);
      await db.pool.query('UPDATE cohort_households SET sealed = $2 WHERE cohort_id = $1 AND start_offset = 1', [cohortId, lostKey.seal('{}')]);
      const total = async (table: string) => (await q<{ n: number }>(`SELECT count(*)::int AS n FROM "${table}"`))[0]!.n;
      const [cohorts, households, exclusions] = [await total('cohorts'), await total('cohort_households'), await total('exclusions')];

      // Small batches: the walk goes on past each one, in key order.
      const first = await resealColumns(resealDb, sealedColumns, 250);
      expect(first.counts['cohorts.report']).toEqual({ rows: cohorts, resealed: cohorts, alreadyCurrent: 0, unreadable: 0 });
      expect(first.counts['cohort_households.sealed']).toEqual({ rows: households, resealed: households - 1, alreadyCurrent: 0, unreadable: 1 });
      expect(first.counts['exclusions.sealed']).toEqual({ rows: exclusions, resealed: exclusions, alreadyCurrent: 0, unreadable: 0 });
      expect(first.counts['runs.sealed']).toEqual({ rows: 0, resealed: 0, alreadyCurrent: 0, unreadable: 0 });
      expect(first.problems).toEqual([expect.stringContaining(`cohort_households.sealed: row ${cohortId}, 1: record encrypted with unknown key id "store-lost"`)]);
      expect(new Set((await q<{ v: string }>('SELECT report AS v FROM cohorts')).map((r) => keyIdOf(r.v)))).toEqual(new Set([k2.id]));
      expect(JSON.parse(resealDb.cipher.open((await q<{ v: string }>('SELECT report AS v FROM cohorts WHERE cohort_id = $1', [cohortId]))[0]!.v))).toEqual({ plain: true });
      // The contents are unchanged: the big cohort reads back the same under key 2 alone.
      const onlyK2 = openRecordsDb(url, new RecordCipher([k2]));
      try {
        const [bigCohort] = await q<{ cohort_id: string }>('SELECT cohort_id FROM cohorts WHERE households = 3000');
        expect((await readHouseholdBatch(onlyK2, bigCohort!.cohort_id, 1_234, 1)).households[0]!.household).toEqual(syntheticHousehold(1_234, 8));
      } finally {
        await onlyK2.pool.end();
      }

      const second = await resealColumns(resealDb, sealedColumns, 250);
      expect(second.counts['cohorts.report']).toEqual({ rows: cohorts, resealed: 0, alreadyCurrent: cohorts, unreadable: 0 });
      expect(second.counts['cohort_households.sealed']).toEqual({ rows: households, resealed: 0, alreadyCurrent: households - 1, unreadable: 1 });
      expect(second.counts['exclusions.sealed']).toEqual({ rows: exclusions, resealed: 0, alreadyCurrent: exclusions, unreadable: 0 });
    } finally {
      await resealDb.pool.end();
    }
  });
});
