import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CohortFormatError, readCohort, type CohortRecord } from '../../cohort/read-cohort';
import { syntheticCohortCsv } from '../../simulators/synthetic-cohort';

const read = async (text: string | string[], format: 'csv' | 'json' = 'csv') => {
  const records: CohortRecord[] = [];
  for await (const r of readCohort(Readable.from((Array.isArray(text) ? text : [text]).map((t) => Buffer.from(t))), format)) records.push(r);
  return records;
};
const problemsOf = (records: CohortRecord[]) => records.map((r) => ('problems' in r ? r.problems.map((p) => `${p.field}:${p.code}`) : 'ok'));

const header = 'family_card_number,head_nik,head_name,region_code,decile,welfare_status,phone,email';
const good = '3509010000000001,3509014507850003,Siti Aminah,35.09.01.2001,1,extreme_poor,,';

describe('reading a cohort file', () => {
  it('reports each kind of bad row exactly, and every problem of a row', async () => {
    const csv = [
      header,
      good,
      '3509010000000002,350901450785,Budi,35.09.01.2001,1,poor,,', // malformed NIK
      '3509010000000003,3509013002850003,Budi,35.09.01.2001,1,poor,,', // 30 February
      '3509010000000004,3507014507850004,Sri,35.09.01.2001,1,poor,,', // NIK of another district
      '3509010000000005,3509014507850005,Dewi,35.09.1.2001,1,poor,,', // region format
      '3509010000000001,3509014507850006,Siti again,35.09.01.2001,1,poor,,', // same KK as row 1
      '3509010000000007,3509014507850003,Someone,35.09.01.2001,1,poor,,', // same NIK as row 1
      '3509010000000008,3509014507850008,,35.09.01.2001,eleven,rich,12,not-an-email', // missing name, bad decile, status, phone, email
      ',,,,,,,', // everything missing
    ].join('\n');
    expect(problemsOf(await read(csv))).toEqual([
      'ok',
      ['head_nik:malformed'],
      ['head_nik:impossible-nik'],
      ['head_nik:nik-region-mismatch'],
      ['region_code:region-format'],
      ['family_card_number:duplicate-household'],
      ['head_nik:duplicate-nik'],
      ['head_name:missing', 'decile:malformed', 'welfare_status:malformed', 'phone:malformed', 'email:malformed'],
      ['family_card_number:missing', 'head_nik:missing', 'head_name:missing', 'region_code:missing', 'decile:missing', 'welfare_status:missing'],
    ]);
    const records = await read(csv);
    expect(records[5]).toMatchObject({ row: 6, familyCardNumber: '3509010000000001', problems: [{ message: 'the same household as row 1' }] });
    // Messages name fields, never the personal values.
    expect(JSON.stringify(records)).not.toMatch(/3509014507850003[^"]*"[^}]*message/);
  });

  it('accepts semicolons, a BOM, CRLF, quoted fields, Indonesian headers, dotless region codes and women\'s birth days', async () => {
    const csv = '\uFEFFNo_KK;NIK;Nama;Kode_Wilayah;Desil;Status_Kesejahteraan;No_HP\r\n3509010000000001;3509014507850003;"Aminah; Siti";3509012001;2;POOR;+6281234567890\r\n\r\n';
    expect(await read(csv)).toEqual([
      {
        row: 1,
        household: { familyCardNumber: '3509010000000001', headNik: '3509014507850003', headName: 'Aminah; Siti', region: '35.09.01.2001', decile: 2, welfareStatus: 'poor', phone: '+6281234567890' },
      },
    ]);
  });

  it('knows 29 February of 2000 from that of 2001', async () => {
    const rows = [header, '3509010000000001,3509012902000001,A,35.09.01.2001,1,poor,,', '3509010000000002,3509016902010001,B,35.09.01.2001,1,poor,,'].join('\n');
    expect(problemsOf(await read(rows))).toEqual(['ok', ['head_nik:impossible-nik']]);
  });

  it('refuses a file without the columns it needs, naming them', async () => {
    await expect(read('family_card_number,nama\n1,2\n')).rejects.toThrow(new CohortFormatError('the header lacks the columns head_nik, region_code, decile, welfare_status', 'head_nik'));
    await expect(read('')).rejects.toBeInstanceOf(CohortFormatError);
  });

  it('reads a JSON array with either key style, reporting a non-object element, and refuses broken JSON', async () => {
    const json = JSON.stringify([
      { familyCardNumber: '3509010000000001', headNik: '3509014507850003', headName: 'Siti', region: '35.09.01.2001', decile: 1, welfareStatus: 'poor' },
      42,
      { no_kk: '3509010000000002', nik: '3509011507850002', nama: 'Budi', kode_wilayah: '35.09.01.2001', desil: 3, status_kesejahteraan: 'vulnerable' },
    ]);
    expect(problemsOf(await read([json.slice(0, 50), json.slice(50)], 'json'))).toEqual(['ok', ['row:malformed'], 'ok']);
    await expect(read('[{"no_kk": "1"', 'json')).rejects.toBeInstanceOf(CohortFormatError);
  });

  it('streams 100,000 rows without holding the file', async () => {
    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    let valid = 0;
    let peak = 0;
    for await (const record of readCohort(
      (async function* () {
        yield* syntheticCohortCsv(100_000);
      })(),
      'csv',
    )) {
      if ('household' in record) valid += 1;
      if (valid % 10_000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed - before);
    }
    expect(valid).toBe(100_000);
    // Only the duplicate maps grow (a KK and a NIK per row); the 11 MB of CSV are never held.
    expect(peak).toBeLessThan(150 * 1024 * 1024);
  }, 120_000);
});
