import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { personalDataAuditPath } from '../../api/audit/personal-data-audit';
import { eventually, httpJson } from '../../dev/http';
import { startStack, type Stack } from '../../dev/stack';
import type { Household } from '../../domain/household';
import { maskedNik } from '../../domain/nik';
import { isSealed } from '../../lib/record-cipher';
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
    cohortHousehold({ headName: 'Rina Marlina', decile: 5, phone: '081333334444' }),
  ];
  const full = `/v1/rollouts/${rolloutId}/report-with-personal-data.csv`;
  const withReason = (reason: string) => `${full}?reason=${encodeURIComponent(reason)}`;
  const rowsOf = (csv: string) => parse(csv, { bom: true, columns: true }) as Record<string, string>[];
  const audit = async (query = '') => {
    const res = await stack.call('GET', `/v1/audit/personal-data${query}`, undefined, 'manager');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as { total: number; unreadable: number; items: Record<string, unknown>[]; nextOffset?: number };
  };

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

    // On disk each record is sealed: the reason a person typed is in no byte of the file.
    const bytes = await readFile(personalDataAuditPath(stack.dataDir));
    const lines = bytes.toString('utf8').trim().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every(isSealed)).toBe(true);
    for (const secret of [reason, 'Dinas Sosial', rolloutId]) {
      expect(bytes.includes(Buffer.from(secret, 'utf8')), secret).toBe(false);
      expect(bytes.includes(Buffer.from(secret, 'utf16le')), `${secret} (UTF-16)`).toBe(false);
    }
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

  it('lets managers alone read the audit', async () => {
    for (const caller of ['coordinator', 'viewer', 'kemensos'] as const) expect((await stack.call('GET', '/v1/audit/personal-data', undefined, caller)).status, caller).toBe(403);
    expect((await stack.call('GET', '/v1/audit/personal-data', undefined, 'anonymous')).status).toBe(401);
  });

  it('documents the report with personal data, its required reason and its refusals, and the audit', async () => {
    const doc = await httpJson('GET', `${stack.apiUrl}/v1/openapi.json`);
    const report = doc.body.paths['/v1/rollouts/{id}/report-with-personal-data.csv']?.get;
    expect(Object.keys(report.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403', '404']));
    expect(report.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'reason', in: 'query', required: true })]));
    const auditOp = doc.body.paths['/v1/audit/personal-data']?.get;
    expect(Object.keys(auditOp.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403']));
    expect(auditOp.description).toBe('Roles: manager.');
  });
});
