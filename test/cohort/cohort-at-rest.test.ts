import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readHouseholdBatch } from '../../cohort/cohort-households';
import { cohortPaths } from '../../cohort/cohort-paths';
import { saveCohort } from '../../cohort/cohort-store';
import { moveLegacyRecords } from '../../cohort/legacy-data-dir';
import { keyIdOf, RecordCipher } from '../../lib/record-cipher';
import { openRecordsDb } from '../../records/records-db';
import { eventually } from '../../dev/http';
import { startStack, type Stack } from '../../dev/stack';
import type { Household } from '../../domain/household';
import { graduationPlanV1 } from '../../domain/plans/graduation';
import { cohortCsv, cohortHousehold, importCohort } from '../helpers/cohorts';
import { uniqueRolloutId } from '../helpers/households';

const key1 = { id: 'rest-1', key: randomBytes(32) };
const key2 = { id: 'rest-2', key: randomBytes(32) };

/** Every file under a directory, recursively. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describe('personal data at rest in the records store and under DATA_DIR', () => {
  let stack: Stack;
  const programId = `grad-rest-${Date.now().toString(36)}`;
  // Distinctive values, so finding one on disk cannot be a coincidence.
  const eligible = cohortHousehold({ headName: 'Ratna Kusumawardhani', phone: '+6281298765432', email: 'ratna.kusuma@contoh.id' });
  const richer = cohortHousehold({ headName: 'Bambang Sutrisnohadi', phone: '+6285711223344', email: 'bambang.s@contoh.id', decile: 5 });
  // A row with an impossible NIK: the validation report names it by its KK.
  const invalid = cohortHousehold({ headName: 'Dewi Anggraenisari', headNik: '3509010000000000' });
  const secretsOf = (h: Household) => [h.familyCardNumber, h.headNik, h.headName, h.phone, h.email].filter((v): v is string => Boolean(v));
  const preview = (cohortId: string) => stack.call('POST', '/v1/rollouts/preview', { cohortId, programId });

  beforeAll(async () => {
    // Key 2 is current; key 1, the one before, is still listed.
    stack = await startStack({ temporalAddress: inject('temporalAddress'), payloadKeys: [key2, key1] });
    // Runs wait at their first task: the rollout has nothing more to write meanwhile.
    await stack.sims.control.kemensos.setBehaviour({ silent: true });
    const res = await stack.call('POST', '/v1/programs', { ...graduationPlanV1, programId, version: 1, eligibility: { maxDecile: 2, welfareStatuses: ['extreme_poor', 'poor'] } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  });
  afterAll(() => stack?.close());

  it('keeps no NIK, name, phone, e-mail or KK of an imported and rolled-out cohort in the clear; it still previews, rolls out and reports', async () => {
    const cohortId = await importCohort(stack, [eligible, richer, invalid]);
    const report = await stack.call('GET', `/v1/cohorts/${cohortId}`);
    expect(report.body).toMatchObject({ rows: 3, valid: 2, invalid: 1, invalidRows: [{ row: 3, familyCardNumber: invalid.familyCardNumber }] });

    const previewed = await preview(cohortId);
    expect(previewed.status, JSON.stringify(previewed.body)).toBe(200);
    expect(previewed.body.counts).toMatchObject({ households: 2, eligible: 1, excluded: 1, excludedBy: { 'decile-above-maximum': 1 } });
    expect(previewed.body.excluded).toEqual([expect.objectContaining({ householdId: richer.familyCardNumber, reason: 'decile-above-maximum' })]);

    const rolloutId = uniqueRolloutId('rest');
    const started = await stack.call('POST', '/v1/rollouts', { rolloutId, cohortId, programId, reason: 'test', pace: { batchSize: 50, startsPerSecond: 500 } });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    await eventually(async () => ((await stack.call('GET', `/v1/rollouts/${rolloutId}`, undefined, 'viewer')).body.starting?.allStarted ? true : undefined), 120_000, `rollout ${rolloutId}`);
    // The exclusions the rollout wrote are read back for its report.
    const csv = await stack.text(`/v1/rollouts/${rolloutId}/report.csv`);
    expect(csv.status).toBe(200);
    const lineOf = (h: Household) => csv.text.split('\n').find((l) => l.startsWith(h.familyCardNumber)) ?? '';
    expect(lineOf(richer)).toContain('excluded');
    expect(lineOf(richer)).toContain('decile-above-maximum');
    expect(lineOf(eligible)).toContain(eligible.headName);

    // Nothing of the cohort under DATA_DIR any more; whatever is there holds none of it in clear.
    const files = await filesUnder(stack.dataDir.root);
    expect(files.filter((f) => /cohorts|rollouts/.test(path.relative(stack.dataDir.root, f)))).toEqual([]);
    const secrets = [...secretsOf(eligible), ...secretsOf(richer), ...secretsOf(invalid)];
    for (const file of files) {
      const bytes = await readFile(file);
      for (const text of [bytes.toString('utf8'), bytes.toString('latin1')]) {
        for (const secret of secrets) expect(text, `${path.relative(stack.dataDir.root, file)} holds ${secret}`).not.toContain(secret);
      }
      for (const secret of secrets) expect(bytes.includes(Buffer.from(secret, 'utf16le')), `${file} holds ${secret} (UTF-16)`).toBe(false);
    }
    // In the records store, every row of every table as text: the cohort, its report, the exclusion, the runs.
    const q = async <T extends object>(sql: string, params: unknown[] = []) => (await stack.records.pool.query<T>(sql, params)).rows;
    const tables = await q<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'");
    for (const { table_name: table } of tables) {
      for (const { row } of await q<{ row: string }>(`SELECT t::text AS row FROM "${table}" t`)) {
        for (const secret of secrets) expect(row, `${table} holds ${secret}`).not.toContain(secret);
      }
    }
    expect(await q('SELECT reason, flagged_only FROM exclusions WHERE rollout_id = $1', [rolloutId])).toEqual([{ reason: 'decile-above-maximum', flagged_only: false }]);
    // Each household, the report and the exclusion name the key they were sealed with: the current one.
    const sealed = await q<{ value: string }>(
      `SELECT sealed AS value FROM cohort_households WHERE cohort_id = $1 UNION ALL SELECT report FROM cohorts WHERE cohort_id = $1
       UNION ALL SELECT sealed FROM exclusions WHERE rollout_id = $2`,
      [cohortId, rolloutId],
    );
    expect(sealed).toHaveLength(4);
    for (const { value } of sealed) expect(keyIdOf(value)).toBe('rest-2');
  });

  it('reads a cohort written under key 1 after key 2 became current, and names key 1 when it is no longer listed', async () => {
    const households = [cohortHousehold(), cohortHousehold({ decile: 4 })];
    const underKey1 = openRecordsDb(stack.databaseUrl, new RecordCipher([key1]));
    const onlyKey2 = openRecordsDb(stack.databaseUrl, new RecordCipher([key2]));
    try {
      const { cohortId } = await saveCohort({ records: underKey1, householdKeyOf: stack.householdKeyOf }, Readable.from([cohortCsv(households)]), 'csv', 'test');
      const { rows } = await stack.records.pool.query<{ sealed: string }>('SELECT sealed FROM cohort_households WHERE cohort_id = $1', [cohortId]);
      expect(rows.map((r) => keyIdOf(r.sealed))).toEqual(['rest-1', 'rest-1']);

      expect((await stack.call('GET', `/v1/cohorts/${cohortId}`)).body).toMatchObject({ cohortId, valid: 2 });
      const previewed = await preview(cohortId);
      expect(previewed.status, JSON.stringify(previewed.body)).toBe(200);
      expect(previewed.body.counts).toMatchObject({ households: 2, eligible: 1, excluded: 1 });
      await expect(readHouseholdBatch(onlyKey2, cohortId, 0, 10)).rejects.toThrow('unknown key id "rest-1"');
    } finally {
      await Promise.all([underKey1.pool.end(), onlyKey2.pool.end()]);
    }
  });

  it('moves a cohort kept under DATA_DIR in plain JSON (before encryption) into the store, sealed, and previews it', async () => {
    const households = [cohortHousehold(), cohortHousehold(), cohortHousehold({ welfareStatus: 'stable' })];
    // Written as the code before encryption wrote it: a JSON household a line, the report as JSON.
    const cohortId = 'c-0123456789abcdef0123';
    const paths = cohortPaths(stack.dataDir, cohortId);
    await mkdir(paths.dir, { recursive: true });
    await writeFile(paths.households, households.map((h) => `${JSON.stringify(h)}\n`).join(''));
    const report = { cohortId, format: 'csv', importedAt: new Date().toISOString(), importedBy: 'old-coordinator', rows: 3, valid: 3, invalid: 0, problems: {}, invalidRows: [], invalidRowsTruncated: false };
    await writeFile(paths.report, JSON.stringify(report));

    // What the API does at start.
    const moved = await moveLegacyRecords({ records: stack.records, householdKeyOf: stack.householdKeyOf, dataDir: stack.dataDir });
    expect(moved.counts).toMatchObject({ cohorts: 1, households: 3, kept: 0 });
    expect(await readdir(path.join(stack.dataDir.root, 'cohorts'))).toEqual([]);
    const { rows } = await stack.records.pool.query<{ sealed: string }>('SELECT sealed FROM cohort_households WHERE cohort_id = $1', [cohortId]);
    expect(rows.map((r) => keyIdOf(r.sealed))).toEqual(['rest-2', 'rest-2', 'rest-2']);

    expect((await stack.call('GET', `/v1/cohorts/${cohortId}`)).body).toMatchObject({ cohortId, valid: 3 });
    const previewed = await preview(cohortId);
    expect(previewed.status, JSON.stringify(previewed.body)).toBe(200);
    expect(previewed.body.counts).toMatchObject({ households: 3, eligible: 2, excluded: 1, excludedBy: { 'welfare-status-not-allowed': 1 } });
  });
});
