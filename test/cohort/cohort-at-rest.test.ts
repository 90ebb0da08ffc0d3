import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readHouseholdBatch } from '../../cohort/cohort-files';
import { cohortPaths, type DataDir } from '../../cohort/cohort-paths';
import { saveCohort } from '../../cohort/cohort-store';
import { RecordCipher } from '../../lib/record-cipher';
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

describe('personal data at rest under DATA_DIR', () => {
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

    const files = await filesUnder(stack.dataDir.root);
    const relative = files.map((f) => path.relative(stack.dataDir.root, f));
    expect(relative).toEqual(expect.arrayContaining([path.join('cohorts', cohortId, 'households.ndjson'), path.join('cohorts', cohortId, 'report.json')]));
    expect(relative.some((f) => f.startsWith(path.join('rollouts', rolloutId, 'excluded-')))).toBe(true);
    const secrets = [...secretsOf(eligible), ...secretsOf(richer), ...secretsOf(invalid)];
    for (const file of files) {
      const bytes = await readFile(file);
      for (const text of [bytes.toString('utf8'), bytes.toString('latin1')]) {
        for (const secret of secrets) expect(text, `${path.relative(stack.dataDir.root, file)} holds ${secret}`).not.toContain(secret);
      }
      for (const secret of secrets) expect(bytes.includes(Buffer.from(secret, 'utf16le')), `${file} holds ${secret} (UTF-16)`).toBe(false);
    }
    // Each line names the key it was sealed with: the current one.
    const lines = (await readFile(cohortPaths(stack.dataDir, cohortId).households, 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).toMatch(/^aes1:rest-2:/);
  });

  it('reads a cohort written under key 1 after key 2 became current, and names key 1 when it is no longer listed', async () => {
    const households = [cohortHousehold(), cohortHousehold({ decile: 4 })];
    const underKey1: DataDir = { root: stack.dataDir.root, cipher: new RecordCipher([key1]) };
    const { cohortId } = await saveCohort(underKey1, Readable.from([cohortCsv(households)]), 'csv', 'test');
    const file = cohortPaths(stack.dataDir, cohortId).households;
    expect(await readFile(file, 'utf8')).toMatch(/^aes1:rest-1:/);

    expect((await stack.call('GET', `/v1/cohorts/${cohortId}`)).body).toMatchObject({ cohortId, valid: 2 });
    const previewed = await preview(cohortId);
    expect(previewed.status, JSON.stringify(previewed.body)).toBe(200);
    expect(previewed.body.counts).toMatchObject({ households: 2, eligible: 1, excluded: 1 });
    await expect(readHouseholdBatch(new RecordCipher([key2]), file, 0, 10)).rejects.toThrow('unknown key id "rest-1"');
  });

  it('still reads a cohort stored in plain JSON before encryption', async () => {
    const households = [cohortHousehold(), cohortHousehold(), cohortHousehold({ welfareStatus: 'stable' })];
    const scratch: DataDir = { root: path.join(stack.dataDir.root, 'scratch'), cipher: stack.dataDir.cipher };
    const { cohortId } = await saveCohort(scratch, Readable.from([cohortCsv(households)]), 'csv', 'test');
    // Written as the code before encryption wrote it: a JSON household a line, the report as JSON.
    const sealed = cohortPaths(scratch, cohortId);
    const plainLines = (await readFile(sealed.households, 'utf8')).trimEnd().split('\n').map((l) => `${stack.dataDir.cipher.open(l)}\n`);
    await writeFile(sealed.households, plainLines.join(''));
    await writeFile(sealed.report, stack.dataDir.cipher.open((await readFile(sealed.report, 'utf8')).trim()));
    const target = cohortPaths(stack.dataDir, cohortId);
    await mkdir(path.dirname(target.dir), { recursive: true });
    await rename(sealed.dir, target.dir);
    expect(await readFile(target.households, 'utf8')).toContain(households[0]!.headNik);

    expect((await stack.call('GET', `/v1/cohorts/${cohortId}`)).body).toMatchObject({ cohortId, valid: 3 });
    const previewed = await preview(cohortId);
    expect(previewed.status, JSON.stringify(previewed.body)).toBe(200);
    expect(previewed.body.counts).toMatchObject({ households: 3, eligible: 2, excluded: 1, excludedBy: { 'welfare-status-not-allowed': 1 } });
  });
});
