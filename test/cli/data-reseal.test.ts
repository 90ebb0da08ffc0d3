import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { saveCohort } from '../../cohort/cohort-store';
import { developmentHouseholdKey } from '../../config/config';
import { graduationPlanV1 } from '../../domain/plans/graduation';
import { initialRunState } from '../../domain/run-machine';
import { householdPseudonym } from '../../lib/household-pseudonym';
import { keyIdOf, RecordCipher } from '../../lib/record-cipher';
import { dropDatabase, ensureDatabase, migrateRecords, openRecordsDb, type RecordsDb } from '../../records/records-db';
import { writeBatchExclusions } from '../../records/rollout-exclusions';
import { writeRun } from '../../records/write-run';
import { cohortCsv, cohortHousehold } from '../helpers/cohorts';

const run = promisify(execFile);
const k1 = { id: 'k1', key: randomBytes(32) };
const k2 = { id: 'k2', key: randomBytes(32) };
const ringText = (...keys: { id: string; key: Uint8Array }[]) => keys.map((k) => `${k.id}:${Buffer.from(k.key).toString('base64')}`).join(',');
const householdKeyOf = householdPseudonym(developmentHouseholdKey);

/** `sinergi data reseal`: the records store's sealed columns (and the audit file under DATA_DIR) under the current key. */
describe('sinergi data reseal', () => {
  const database = `reseal_${process.pid}_${Date.now().toString(36)}`;
  let url: string;
  let db: RecordsDb;
  let dataDir: string;
  const households = Array.from({ length: 4 }, () => cohortHousehold({ headName: 'Wulan Sekarningrum' }));
  const secrets = households.flatMap((h) => [h.familyCardNumber, h.headNik, h.headName]);
  const reason = 'Dikoreksi atas permintaan Bu Wulan Sekarningrum';
  const auditLines = [JSON.stringify({ audit: 'payloads-decoded', at: '2026-11-30T00:00:00Z' }), JSON.stringify({ audit: 'report-exported', at: '2026-11-30T01:00:00Z' })];
  let cohortId: string;

  const sinergi = (keys: string) => {
    const cli = path.resolve(__dirname, '..', '..', 'cli', 'sinergi.ts');
    const tsx = path.resolve(__dirname, '..', '..', 'node_modules', '.bin', 'tsx');
    const env = { ...process.env, NODE_ENV: 'test', DATA_DIR: dataDir, DATABASE_URL: url, SINERGI_PAYLOAD_KEYS: keys };
    return run(tsx, [cli, '--json', 'data', 'reseal'], { env, timeout: 120_000 });
  };
  const keyIds = async (sql: string) => (await db.pool.query<{ v: string }>(sql)).rows.map((r) => keyIdOf(r.v) ?? 'plain').sort();
  const auditFile = () => path.join(dataDir, 'audit', 'personal-data.ndjson');

  beforeAll(async () => {
    url = await ensureDatabase(inject('databaseUrl'), database);
    await migrateRecords(url);
    db = openRecordsDb(url, new RecordCipher([k1]));
    // Under key 1: a cohort, an exclusion, a run with a manager's operation.
    ({ cohortId } = await saveCohort({ records: db, householdKeyOf }, Readable.from([cohortCsv(households)]), 'csv', 'test'));
    await writeBatchExclusions(db, householdKeyOf, 'reseal-rollout', 0, [{ householdId: households[3]!.familyCardNumber, reason: 'decile-above-maximum', detail: 'decile 5 above 2' }]);
    const state = initialRunState({ runId: 'run:reseal-rollout:k0', rolloutId: 'reseal-rollout', household: households[0]!, plan: graduationPlanV1 }, new Date('2026-11-01T00:00:00Z'));
    state.operations = [{ op: 'cancel', reason, actor: 'test-manager', at: '2026-11-02T00:00:00Z' }];
    await writeRun(db, { seq: 1, state, householdKey: householdKeyOf(households[0]!.familyCardNumber) });
    // Written before sealing: one household and the report, plain.
    await db.pool.query('UPDATE cohort_households SET sealed = $2 WHERE cohort_id = $1 AND start_offset = 0', [cohortId, JSON.stringify(households[0])]);
    await db.pool.query('UPDATE cohorts SET report = $2 WHERE cohort_id = $1', [cohortId, db.cipher.open((await db.pool.query<{ report: string }>('SELECT report FROM cohorts')).rows[0]!.report)]);
    // The audit file under DATA_DIR: one record under key 1, one plain.
    dataDir = await mkdtemp(path.join(tmpdir(), 'sinergi-reseal-'));
    await mkdir(path.dirname(auditFile()), { recursive: true });
    await writeFile(auditFile(), `${db.cipher.seal(auditLines[0]!)}\n${auditLines[1]}\n`);
  });
  afterAll(async () => {
    await db?.pool.end();
    await dropDatabase(inject('databaseUrl'), database);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps a value under a key the ring lacks as it was, naming the column, the row and the key id, and exits 1', async () => {
    const failed = (await sinergi(ringText(k2)).then(
      () => undefined,
      (err: unknown) => err,
    )) as { code: number; stdout: string; stderr: string } | undefined;
    expect(failed?.code).toBe(1);
    const { counts } = JSON.parse(failed!.stdout);
    // The plain values are sealed under key 2; those under key 1 will not open and stay.
    expect(counts['cohort_households.sealed']).toEqual({ rows: 4, resealed: 1, alreadyCurrent: 0, unreadable: 3 });
    expect(counts['cohorts.report']).toEqual({ rows: 1, resealed: 1, alreadyCurrent: 0, unreadable: 0 });
    expect(counts['runs.sealed']).toEqual({ rows: 1, resealed: 0, alreadyCurrent: 0, unreadable: 1 });
    expect(failed?.stderr).toContain(`cohort_households.sealed: row ${cohortId}, 1: record encrypted with unknown key id "k1"`);
    for (const secret of [...secrets, reason, Buffer.from(k2.key).toString('base64')]) expect(failed!.stdout + failed!.stderr).not.toContain(secret);
    expect(await keyIds('SELECT sealed AS v FROM cohort_households')).toEqual(['k1', 'k1', 'k1', 'k2']);
    expect(counts['audit log']).toEqual({ files: 1, resealed: 1, alreadyCurrent: 0, unreadable: 1 });
  });

  it('reseals every sealed column and the audit file under key 2 with their contents unchanged, and a second run reseals nothing', async () => {
    const first = await sinergi(ringText(k2, k1));
    for (const secret of [...secrets, reason]) expect(first.stdout + first.stderr).not.toContain(secret);
    const body = JSON.parse(first.stdout);
    expect(body.currentKeyId).toBe('k2');
    expect(body.counts).toMatchObject({
      'runs.sealed': { rows: 1, resealed: 1, alreadyCurrent: 0, unreadable: 0 },
      'operations.reason': { rows: 1, resealed: 1, alreadyCurrent: 0, unreadable: 0 },
      'cohorts.report': { rows: 1, resealed: 0, alreadyCurrent: 1, unreadable: 0 },
      'cohort_households.sealed': { rows: 4, resealed: 3, alreadyCurrent: 1, unreadable: 0 },
      'exclusions.sealed': { rows: 1, resealed: 1, alreadyCurrent: 0, unreadable: 0 },
      'audit log': { files: 1, resealed: 1, alreadyCurrent: 1, unreadable: 0 },
    });

    // Key 1 can go: everything opens with key 2 alone, to the same text.
    const onlyK2 = new RecordCipher([k2]);
    for (const sql of ['SELECT sealed AS v FROM cohort_households', 'SELECT report AS v FROM cohorts', 'SELECT sealed AS v FROM exclusions', 'SELECT sealed AS v FROM runs', 'SELECT reason AS v FROM operations']) {
      expect(new Set(await keyIds(sql)), sql).toEqual(new Set(['k2']));
    }
    const { rows } = await db.pool.query<{ sealed: string }>('SELECT sealed FROM cohort_households WHERE cohort_id = $1 ORDER BY start_offset', [cohortId]);
    expect(rows.map((r) => JSON.parse(onlyK2.open(r.sealed)))).toEqual(households);
    expect(onlyK2.open((await db.pool.query<{ reason: string }>('SELECT reason FROM operations')).rows[0]!.reason)).toBe(reason);
    const audit = (await readFile(auditFile(), 'utf8')).trim().split('\n');
    expect(audit.map((l) => onlyK2.open(l))).toEqual(auditLines);

    const second = await sinergi(ringText(k2, k1));
    expect(JSON.parse(second.stdout).counts).toMatchObject({
      'runs.sealed': { rows: 1, resealed: 0, alreadyCurrent: 1, unreadable: 0 },
      'operations.reason': { rows: 1, resealed: 0, alreadyCurrent: 1, unreadable: 0 },
      'cohorts.report': { rows: 1, resealed: 0, alreadyCurrent: 1, unreadable: 0 },
      'cohort_households.sealed': { rows: 4, resealed: 0, alreadyCurrent: 4, unreadable: 0 },
      'exclusions.sealed': { rows: 1, resealed: 0, alreadyCurrent: 1, unreadable: 0 },
      'audit log': { files: 1, resealed: 0, alreadyCurrent: 2, unreadable: 0 },
    });
  });
});
