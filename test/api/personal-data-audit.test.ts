import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { importLegacyAudit, legacyPersonalDataAuditPath } from '../../api/audit/legacy-audit-import';
import { readPersonalDataAccesses, recordPersonalDataAccess, type PersonalDataAccess } from '../../api/audit/personal-data-audit';
import { readExports, recordedExport } from '../../api/audit/report-exports';
import type { Principal } from '../../api/auth/principal';
import { developmentPayloadKey } from '../../config/config';
import { createLogger } from '../../lib/logger';
import { RecordCipher } from '../../lib/record-cipher';
import { dropDatabase, ensureDatabase, migrateRecords, openRecordsDb, type RecordsDb } from '../../records/records-db';
import { resealColumns } from '../../records/reseal-columns';
import { sealedColumns } from '../../records/sealed-columns';

const logger = createLogger('silent', 'api');
const manager: Principal = { id: 'test-manager', role: 'manager' };
const jember: Principal = { id: 'test-coordinator-jember', role: 'coordinator', regions: ['35.09'] };
const otherKey = { id: 'lost-key', key: randomBytes(32) };

/** The personal-data audit and the exports in the records store: sealed where a person typed, paged in SQL, append-only. */
describe('the personal-data audit and the exports in the records store', () => {
  const databases: string[] = [];
  const pools: RecordsDb[] = [];
  /** A records store of its own for each test: the counts it checks are its own. */
  async function freshDb(cipher = new RecordCipher([developmentPayloadKey])): Promise<RecordsDb> {
    const name = `audit_${process.pid}_${databases.length}`;
    databases.push(name);
    const url = await ensureDatabase(inject('databaseUrl'), name);
    await migrateRecords(url);
    const db = openRecordsDb(url, cipher, { max: 4 });
    pools.push(db);
    return db;
  }
  afterAll(async () => {
    await Promise.all(pools.map((db) => db.pool.end()));
    for (const name of databases) await dropDatabase(inject('databaseUrl'), name);
  });

  const exported = (reason: string, at: string, rolloutId = 'r-audit'): PersonalDataAccess => ({ action: 'report-exported', at, principal: 'test-manager', role: 'manager', rolloutId, reason });
  const decoded = (at: string, payloads = 3): PersonalDataAccess => ({ action: 'payloads-decoded', at, principal: 'test-coordinator', role: 'coordinator', namespace: 'default', workflowId: 'run-1', payloads });
  const tableText = async (db: RecordsDb, table: string) => (await db.pool.query<{ row: string }>(`SELECT t::text AS row FROM ${table} t`)).rows.map((r) => r.row).join('\n');
  const refusal = (db: RecordsDb, sql: string, params: unknown[] = []) =>
    db.pool.query(sql, params).then(
      () => 'done',
      (err: Error) => err.message,
    );

  it('keeps each access as a row with the reason sealed: no byte of the table holds it in clear', async () => {
    const db = await freshDb();
    const reason = 'Verifikasi lapangan oleh Ibu Sri Wahyuni, Dinas Sosial Jember';
    await recordPersonalDataAccess({ records: db, logger }, exported(reason, '2026-12-01T08:00:00.000Z'));
    await recordPersonalDataAccess({ records: db, logger }, decoded('2026-12-01T09:00:00.000Z'));
    const text = await tableText(db, 'personal_data_accesses');
    for (const secret of [reason, 'Sri Wahyuni', 'Dinas Sosial']) expect(text, secret).not.toContain(secret);
    const { rows } = await db.pool.query<{ reason: string | null; action: string; rollout_id: string | null }>('SELECT reason, action, rollout_id FROM personal_data_accesses ORDER BY id');
    expect(rows[0]).toMatchObject({ action: 'report-exported', rollout_id: 'r-audit', reason: expect.stringMatching(/^aes1:sinergi-dev:/) });
    expect(rows[1]).toMatchObject({ action: 'payloads-decoded', reason: null });
    expect(await readPersonalDataAccesses(db, { pageSize: 50, offset: 0 })).toEqual({
      total: 2,
      unreadable: 0,
      items: [decoded('2026-12-01T09:00:00.000Z'), exported(reason, '2026-12-01T08:00:00.000Z')],
    });
  });

  it('pages the audit newest first in SQL, and counts apart what will not open', async () => {
    const db = await freshDb();
    const at = (n: number) => new Date(Date.UTC(2026, 11, 1, 0, n)).toISOString();
    // Recorded out of order: newest first is by when, not by when recorded.
    for (const n of [...Array(23).keys()].sort((a, b) => (a * 7) % 23 - (b * 7) % 23)) {
      await recordPersonalDataAccess({ records: db, logger }, n % 2 ? decoded(at(n), n) : exported(`alasan ${n}`, at(n)));
    }
    const pages = [];
    for (let offset: number | undefined = 0; offset !== undefined; ) {
      const page = await readPersonalDataAccesses(db, { pageSize: 10, offset });
      pages.push(page);
      offset = page.nextOffset;
    }
    expect(pages.map((p) => [p.total, p.unreadable, p.items.length, p.nextOffset])).toEqual([
      [23, 0, 10, 10],
      [23, 0, 10, 20],
      [23, 0, 3, undefined],
    ]);
    expect(pages.flatMap((p) => p.items.map((a) => a.at))).toEqual([...Array(23).keys()].reverse().map(at));
    expect(pages[2]!.items.at(-1)).toEqual(exported('alasan 0', at(0)));

    // One sealed under a key the ring does not hold (counted without opening anything), one whose seal was altered.
    await recordPersonalDataAccess({ records: { pool: db.pool, cipher: new RecordCipher([otherKey]) }, logger }, exported('kunci hilang', at(30)));
    const [{ id }] = (await db.pool.query<{ id: number }>(`SELECT id FROM personal_data_accesses WHERE reason LIKE 'aes1:sinergi-dev:%' ORDER BY at DESC LIMIT 1`)).rows as [{ id: number }];
    await db.pool.query(`UPDATE personal_data_accesses SET reason = $2 WHERE id = $1`, [id, `aes1:sinergi-dev:${randomBytes(40).toString('base64')}`]);
    const first = await readPersonalDataAccesses(db, { pageSize: 5, offset: 0 });
    expect([first.total, first.unreadable, first.items.length]).toEqual([22, 2, 4]);
    expect(first.items.map((a) => a.at)).toEqual([21, 20, 19, 18].map(at));
  });

  it('refuses to change or delete an access, but lets `sinergi data reseal` seal its reason under a new key', async () => {
    const db = await freshDb();
    const reason = 'Rekonsiliasi data penerima PKH';
    await recordPersonalDataAccess({ records: db, logger }, exported(reason, '2026-12-02T00:00:00.000Z'));
    await recordPersonalDataAccess({ records: db, logger }, decoded('2026-12-02T01:00:00.000Z'));
    for (const sql of [
      `UPDATE personal_data_accesses SET principal = 'someone-else'`,
      `UPDATE personal_data_accesses SET at = at - interval '1 day'`,
      `UPDATE personal_data_accesses SET reason = NULL WHERE reason IS NOT NULL`,
      `UPDATE personal_data_accesses SET reason = 'x' WHERE reason IS NULL`,
      `DELETE FROM personal_data_accesses`,
      `TRUNCATE personal_data_accesses`,
    ]) {
      expect(await refusal(db, sql), sql).toMatch(/personal_data_accesses is append-only/);
    }
    // The key rotated: the reseal walks the sealed columns listed, this one among them.
    const rotated = { pool: db.pool, cipher: new RecordCipher([otherKey, developmentPayloadKey]) };
    const resealed = await resealColumns(rotated, sealedColumns.filter((c) => c.table === 'personal_data_accesses'));
    expect(resealed.counts['personal_data_accesses.reason']).toMatchObject({ rows: 2, resealed: 1, unreadable: 0 });
    expect((await db.pool.query<{ reason: string }>('SELECT reason FROM personal_data_accesses WHERE reason IS NOT NULL')).rows[0]!.reason).toMatch(/^aes1:lost-key:/);
    expect((await readPersonalDataAccesses(rotated, { pageSize: 10, offset: 0 })).items.map((a) => a.action === 'report-exported' && a.reason)).toEqual([false, reason]);
  });

  it('records every export as started before it is written, then finished with its rows or failed; append-only', async () => {
    const db = await freshDb();
    const deps = { records: db, logger };
    const statusNow = async () => (await db.pool.query<{ status: string }>('SELECT status FROM exports ORDER BY id DESC LIMIT 1')).rows[0]?.status;
    const seenWhileWriting: (string | undefined)[] = [];
    expect(
      await recordedExport(deps, { rolloutId: 'r-one', principal: manager, scope: 'national', personalData: true }, async () => {
        seenWhileWriting.push(await statusNow());
        return 3;
      }),
    ).toBe(3);
    await expect(
      recordedExport(deps, { rolloutId: 'r-two', principal: jember, scope: ['35.09'], personalData: false }, async () => {
        seenWhileWriting.push(await statusNow());
        throw new Error('the client went away');
      }),
    ).rejects.toThrow('the client went away');
    expect(seenWhileWriting).toEqual(['started', 'started']);

    const all = await readExports(db, { pageSize: 50, offset: 0 });
    expect(all).toEqual({
      total: 2,
      items: [
        { rolloutId: 'r-two', principal: jember.id, role: 'coordinator', regions: ['35.09'], at: expect.any(String), personalData: false, format: 'csv', status: 'failed', endedAt: expect.any(String) },
        { rolloutId: 'r-one', principal: manager.id, role: 'manager', at: expect.any(String), personalData: true, format: 'csv', status: 'finished', rows: 3, endedAt: expect.any(String) },
      ],
    });
    expect(await readExports(db, { pageSize: 1, offset: 0, rolloutId: 'r-one' })).toEqual({ total: 1, items: [all.items[1]] });
    expect((await readExports(db, { pageSize: 1, offset: 0 })).nextOffset).toBe(1);

    for (const sql of [
      `UPDATE exports SET status = 'failed' WHERE status = 'finished'`,
      `UPDATE exports SET rows_written = 10 WHERE status = 'finished'`,
      `DELETE FROM exports`,
      `TRUNCATE exports`,
    ]) {
      expect(await refusal(db, sql), sql).toMatch(/exports is append-only/);
    }
    // A started export may only end: it does not change hands.
    await db.pool.query(`INSERT INTO exports (rollout_id, principal, role, at, personal_data, format) VALUES ('r-three', 'test-manager', 'manager', now(), false, 'csv')`);
    expect(await refusal(db, `UPDATE exports SET principal = 'someone-else' WHERE status = 'started'`)).toMatch(/exports is append-only/);
  });

  it('imports the old audit file once at start: lines read as rows, lines that will not open kept sealed and counted, the file removed', async () => {
    const db = await freshDb();
    const root = await mkdtemp(path.join(tmpdir(), 'sinergi-audit-'));
    const dataDir = { root, cipher: db.cipher };
    try {
      const reason = 'Pemutakhiran DTSEN desa Sukorejo';
      const readable = [exported(reason, '2026-11-30T10:00:00.000Z'), decoded('2026-11-30T11:00:00.000Z', 7)];
      const sealedLines = readable.map((a) => db.cipher.seal(JSON.stringify(a)));
      const underLostKey = new RecordCipher([otherKey]).seal(JSON.stringify(exported('kunci lama', '2026-11-29T00:00:00.000Z')));
      const cutShort = sealedLines[0]!.slice(0, 30);
      // Plain text that does not read as an access (as a line cut within its prefix would be): sealed when kept.
      const plain = '{"action":"report-exported","reason":"Agus Salim';
      const file = legacyPersonalDataAuditPath(dataDir);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, `${sealedLines[0]}\n${underLostKey}\n\n${sealedLines[1]}\n${plain}\n${cutShort}`);

      expect(await importLegacyAudit({ dataDir, records: db, logger })).toEqual({ lines: 5, unreadable: 3 });
      expect(await readdir(path.dirname(file))).toEqual([]);
      expect(await readPersonalDataAccesses(db, { pageSize: 10, offset: 0 })).toEqual({ total: 2, unreadable: 3, items: [readable[1], readable[0]] });
      const kept = (await db.pool.query<{ unread_line: string }>('SELECT unread_line FROM personal_data_accesses WHERE unread_line IS NOT NULL ORDER BY id')).rows.map((r) => r.unread_line);
      expect(kept.slice(0, 1).concat(kept.slice(2))).toEqual([underLostKey, cutShort]);
      expect(db.cipher.open(kept[1]!)).toBe(plain);
      const text = await tableText(db, 'personal_data_accesses');
      for (const secret of [reason, 'Agus Salim', 'Sukorejo']) expect(text, secret).not.toContain(secret);

      // Once: the same lines again (an import cut short after its rows were in) add nothing; a
      // leftover of that import and a file started since by an API of the version before are both read.
      await writeFile(`${file}.importing-${randomUUID()}`, `${sealedLines[0]}\n${underLostKey}\n`);
      const later = exported('Ekspor oleh replika lama', '2026-12-03T00:00:00.000Z');
      await writeFile(file, `${sealedLines[1]}\n${db.cipher.seal(JSON.stringify(later))}\n`);
      expect(await importLegacyAudit({ dataDir, records: db, logger })).toEqual({ lines: 4, unreadable: 1 });
      expect(await readdir(path.dirname(file))).toEqual([]);
      expect(await readPersonalDataAccesses(db, { pageSize: 10, offset: 0 })).toEqual({ total: 3, unreadable: 3, items: [later, readable[1], readable[0]] });
      // Nothing to import: nothing happens.
      expect(await importLegacyAudit({ dataDir: { root: path.join(root, randomUUID()), cipher: db.cipher }, records: db, logger })).toEqual({ lines: 0, unreadable: 0 });
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
