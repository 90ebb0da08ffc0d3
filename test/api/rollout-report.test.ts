import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eventually, httpJson } from '../../dev/http';
import { offlineApp } from '../../dev/offline-app';
import { apiKeyOf } from '../../dev/stack-credentials';
import { startStack, type Stack } from '../../dev/stack';
import type { Household } from '../../domain/household';
import { maskedNik } from '../../domain/nik';
import { RecordCipher } from '../../lib/record-cipher';
import { cohortHousehold, importCohort } from '../helpers/cohorts';
import { uniqueRolloutId } from '../helpers/households';

const defaultColumns = [
  'family_card_number',
  'head_nik',
  'head_name',
  'region_code',
  'status',
  'current_step',
  'stuck',
  'welfare_before',
  'welfare_after',
  'graduation_outcome',
  'graduation_extended',
  'graduation_relapsed',
  'readiness_score_band',
  'criteria_met',
  'reason',
  'run_id',
];

/** The report CSV: NIK masked and no contacts by default; in full only with the right and a reason, and then audited. */
describe('the rollout report and personal data', () => {
  let stack: Stack;
  const rolloutId = uniqueRolloutId('report');
  const households: Household[] = [
    cohortHousehold({ headName: 'Sri Wahyuni', phone: '+6281311112222', email: 'sri.wahyuni@example.id' }),
    cohortHousehold({ headName: 'Agus Salim', phone: '081322223333', email: 'agus.salim@example.id' }),
    // Not enrolled (the plan takes decile 1 only): still a line of the report.
    cohortHousehold({ headName: 'Rina Marlina', decile: 5, phone: '081333334444', region: '35.07.01.2001' }),
  ];
  const full = `/v1/rollouts/${rolloutId}/report-with-personal-data.csv`;
  const withReason = (reason: string) => `${full}?reason=${encodeURIComponent(reason)}`;
  const rowsOf = (csv: string) => parse(csv, { bom: true, columns: true }) as Record<string, string>[];
  const audit = async (query = '') => {
    const res = await stack.call('GET', `/v1/audit/personal-data${query}`, undefined, 'manager');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as { total: number; unreadable: number; items: Record<string, unknown>[]; nextOffset?: number };
  };
  const exports = async (query = '') => {
    const res = await stack.call('GET', `/v1/audit/exports${query}`, undefined, 'manager');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as { total: number; items: Record<string, unknown>[]; nextOffset?: number };
  };
  const tableText = async (table: string) => (await stack.records.pool.query<{ row: string }>(`SELECT t::text AS row FROM ${table} t`)).rows.map((r) => r.row).join('\n');

  beforeAll(async () => {
    stack = await startStack({ temporalAddress: inject('temporalAddress') });
    const cohortId = await importCohort(stack, households);
    const started = await stack.call('POST', '/v1/rollouts', { rolloutId, cohortId, programId: 'graduation', reason: 'uji laporan', pace: { batchSize: 10, startsPerSecond: 100 } });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    await eventually(async () => ((await stack.call('GET', `/v1/rollouts/${rolloutId}`, undefined, 'viewer')).body.starting?.allStarted ? true : undefined), 120_000, `rollout ${rolloutId}`);
  });
  afterAll(async () => {
    await stack?.call('POST', `/v1/rollouts/${rolloutId}/cancel`, { reason: 'test done' });
    await stack?.close();
  });

  it('masks every NIK by default (first 6 and last 4 digits) and has no phone or e-mail column', async () => {
    for (const caller of ['coordinator', 'manager'] as const) {
      const res = await stack.text(`/v1/rollouts/${rolloutId}/report.csv`, caller);
      expect(res.status, caller).toBe(200);
      const rows = rowsOf(res.text);
      expect(Object.keys(rows[0]!)).toEqual(defaultColumns);
      expect(rows.map((r) => r.family_card_number).sort()).toEqual(households.map((h) => h.familyCardNumber).sort());
      for (const row of rows) {
        expect(row.head_nik).toMatch(/^\d{6}\*{6}\d{4}$/);
        const household = households.find((h) => h.familyCardNumber === row.family_card_number)!;
        expect(row.head_nik).toBe(maskedNik(household.headNik));
      }
      for (const h of households) {
        for (const secret of [h.headNik, h.phone, h.email].filter((v): v is string => Boolean(v))) expect(res.text, `${caller}: ${secret}`).not.toContain(secret);
      }
    }
  });

  it('refuses personal data in full to a viewer (403), and without a reason of three characters (400 naming it)', async () => {
    expect((await stack.text(withReason('verifikasi lapangan'), 'viewer')).status).toBe(403);
    for (const path of [full, withReason(''), withReason('   '), withReason('ok'), `${full}?reason=`]) {
      const res = await stack.call('GET', path, undefined, 'manager');
      expect(res.status, path).toBe(400);
      expect(res.body.error.fields.map((f: { field: string }) => f.field), path).toEqual(['query.reason']);
    }
    const unknown = await stack.call('GET', `/v1/rollouts/${uniqueRolloutId('no-such')}/report-with-personal-data.csv?reason=cek%20data`, undefined, 'manager');
    expect(unknown.status).toBe(404);
    // Nothing went out, so nothing was recorded.
    expect((await audit()).items.filter((a) => a.action === 'report-exported')).toEqual([]);
  });

  it('gives a manager the full NIK, phone and e-mail with a reason, not to be cached, and records who, when, which rollout and why', async () => {
    const reason = 'Verifikasi lapangan oleh Dinas Sosial Jember';
    const before = Date.now();
    const res = await stack.text(withReason(reason), 'manager');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const rows = rowsOf(res.text);
    expect(Object.keys(rows[0]!)).toEqual([...defaultColumns.slice(0, 3), 'phone', 'email', ...defaultColumns.slice(3)]);
    for (const h of households) {
      expect(rows.find((r) => r.family_card_number === h.familyCardNumber)).toMatchObject({ head_nik: h.headNik, head_name: h.headName, phone: h.phone ?? '', email: h.email ?? '' });
    }

    const { items } = await audit();
    expect(items[0]).toEqual({ action: 'report-exported', principal: 'test-manager', role: 'manager', rolloutId, reason, at: expect.any(String) });
    expect(Date.parse(items[0]!.at as string)).toBeGreaterThanOrEqual(before - 1_000);

    // In the records store the reason a person typed is sealed: in no column of any row in clear.
    const text = await tableText('personal_data_accesses');
    expect(text).toContain(rolloutId);
    for (const secret of [reason, 'Dinas Sosial', 'Jember']) expect(text, secret).not.toContain(secret);
  });

  it('records two exports made at the same moment, each whole, newest first, and pages the audit', async () => {
    const reasons = ['Rekonsiliasi data penerima PKH', 'Pemutakhiran DTSEN desa'];
    const answers = await Promise.all(reasons.map((reason, i) => stack.text(withReason(reason), i === 0 ? 'coordinator' : 'manager')));
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    const all = await audit();
    expect(all.unreadable).toBe(0);
    const exported = all.items.filter((a) => a.action === 'report-exported');
    expect(exported.slice(0, 2).map((a) => a.reason).sort()).toEqual([...reasons].sort());
    expect(exported.find((a) => a.reason === reasons[0])).toMatchObject({ principal: 'test-coordinator', role: 'coordinator', rolloutId });
    // The export of the test before comes after both.
    expect(exported[2]).toMatchObject({ reason: 'Verifikasi lapangan oleh Dinas Sosial Jember' });

    const first = await audit('?pageSize=1');
    expect(first).toMatchObject({ total: all.total, items: [all.items[0]], nextOffset: 1 });
    expect((await audit(`?pageSize=1&offset=${all.total - 1}`)).nextOffset).toBeUndefined();
    expect((await stack.call('GET', '/v1/audit/personal-data?pageSize=0', undefined, 'manager')).body.error.fields.map((f: { field: string }) => f.field)).toEqual(['query.pageSize']);
  });

  it('records every export, masked or in full: who, in which regions, how many households, finished', async () => {
    const before = (await exports(`?rolloutId=${rolloutId}`)).total;
    expect((await stack.text(`/v1/rollouts/${rolloutId}/report.csv`, 'jemberCoordinator')).status).toBe(200);
    expect((await stack.text(withReason('Verifikasi kecamatan'), 'jemberManager')).status).toBe(200);
    // An export is marked finished once its last byte is out, so a moment after the client has it all.
    const { total, items } = await eventually(async () => {
      const listed = await exports(`?rolloutId=${rolloutId}`);
      return listed.items.slice(0, 2).every((e) => e.status !== 'started') ? listed : undefined;
    }, 10_000, 'both exports ended');
    expect(total).toBe(before + 2);
    const ended = { at: expect.any(String), endedAt: expect.any(String), format: 'csv', status: 'finished', rolloutId };
    expect(items.slice(0, 2)).toEqual([
      { ...ended, principal: 'test-manager-jember', role: 'manager', regions: ['35.09'], personalData: true, rows: 2 },
      { ...ended, principal: 'test-coordinator-jember', role: 'coordinator', regions: ['35.09'], personalData: false, rows: 2 },
    ]);
    // The tests before: masked reports by a coordinator and a manager, and full ones, all national and whole.
    const earlier = items.slice(2);
    expect(earlier.filter((e) => !e.personalData).map((e) => e.principal)).toEqual(expect.arrayContaining(['test-coordinator', 'test-manager']));
    expect(earlier.filter((e) => e.personalData)).toHaveLength(3);
    for (const e of earlier) expect(e).toEqual({ ...ended, principal: expect.any(String), role: expect.any(String), personalData: expect.any(Boolean), rows: households.length });
    // Paged, and of one rollout or of all.
    expect(await exports(`?rolloutId=${rolloutId}&pageSize=1`)).toEqual({ total, items: [items[0]], nextOffset: 1 });
    expect((await exports()).total).toBeGreaterThanOrEqual(total);
    expect(await exports(`?rolloutId=${uniqueRolloutId('no-such')}`)).toEqual({ total: 0, items: [] });
  });

  it('sends nothing when the access or the export cannot be recorded', async () => {
    const [accessesBefore, exportsBefore] = [(await audit()).total, (await exports()).total];
    const nikOf = households.map((h) => h.headNik);
    for (const table of ['personal_data_accesses', 'exports']) {
      await stack.records.pool.query(`CREATE FUNCTION test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$`);
      await stack.records.pool.query(`CREATE TRIGGER test_refuse BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION test_refuse()`);
      try {
        for (const path of [withReason('Ekspor yang tidak tercatat'), ...(table === 'exports' ? [`/v1/rollouts/${rolloutId}/report.csv`] : [])]) {
          const res = await stack.text(path, 'manager');
          expect(res.status, `${table}: ${path}`).toBe(500);
          expect(res.headers.get('content-disposition'), path).toBeNull();
          for (const nik of nikOf) expect(res.text).not.toContain(nik);
          for (const h of households) expect(res.text).not.toContain(h.familyCardNumber);
        }
      } finally {
        await stack.records.pool.query(`DROP TRIGGER test_refuse ON ${table}; DROP FUNCTION test_refuse()`);
      }
    }
    // The access went in while the exports refused; no export did.
    expect((await audit()).total).toBe(accessesBefore + 1);
    expect((await exports()).total).toBe(exportsBefore);
  });

  it('records an export that fails on the way as failed', async () => {
    // The same records under a ring without their key: the rollout reads (nothing of it is sealed), its households will not open.
    const cipher = new RecordCipher([{ id: 'another-key', key: randomBytes(32) }]);
    const broken = offlineApp({ records: { pool: stack.records.pool, cipher }, dataDir: { root: stack.dataDir.root, cipher } });
    const server: Server = await new Promise((resolve) => {
      const s = broken.app.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const { port } = server.address() as { port: number };
      const answer = await fetch(`http://127.0.0.1:${port}/v1/rollouts/${rolloutId}/report.csv`, { headers: { authorization: `Bearer ${apiKeyOf('manager')}` } })
        .then(async (res) => ({ status: res.status, text: await res.text() }))
        .catch((err: Error) => ({ status: 0, text: err.message }));
      expect(answer.status === 200 && answer.text.includes(households[0]!.familyCardNumber), JSON.stringify(answer)).toBe(false);
    } finally {
      await new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      await broken.close();
    }
    const [last] = (await exports(`?rolloutId=${rolloutId}&pageSize=1`)).items;
    expect(last).toEqual({ rolloutId, principal: 'test-manager', role: 'manager', at: expect.any(String), personalData: false, format: 'csv', status: 'failed', endedAt: expect.any(String) });
  });

  it('lets managers alone read the audit and the exports', async () => {
    for (const path of ['/v1/audit/personal-data', '/v1/audit/exports']) {
      for (const caller of ['coordinator', 'viewer', 'kemensos'] as const) expect((await stack.call('GET', path, undefined, caller)).status, `${path} ${caller}`).toBe(403);
      expect((await stack.call('GET', path, undefined, 'anonymous')).status, path).toBe(401);
    }
    expect((await stack.call('GET', '/v1/audit/exports?rolloutId=Not_An_Id', undefined, 'manager')).body.error.fields.map((f: { field: string }) => f.field)).toEqual(['query.rolloutId']);
  });

  it('documents the report with personal data, its required reason and its refusals, and the audit', async () => {
    const doc = await httpJson('GET', `${stack.apiUrl}/v1/openapi.json`);
    const report = doc.body.paths['/v1/rollouts/{id}/report-with-personal-data.csv']?.get;
    expect(Object.keys(report.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403', '404']));
    expect(report.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'reason', in: 'query', required: true })]));
    const auditOp = doc.body.paths['/v1/audit/personal-data']?.get;
    expect(Object.keys(auditOp.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403']));
    expect(auditOp.description).toBe('Roles: manager.');
    const exportsOp = doc.body.paths['/v1/audit/exports']?.get;
    expect(exportsOp.description).toBe('Roles: manager.');
    expect(exportsOp.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['offset', 'pageSize', 'rolloutId']);
    expect(doc.body.components.schemas.ReportExport.required).toEqual(expect.arrayContaining(['rolloutId', 'principal', 'role', 'at', 'personalData', 'status']));
  });
});
