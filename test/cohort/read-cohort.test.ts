import { Readable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { CohortFormatError, CohortReportBuilder, CohortReportSchema, readCohort, type CohortRecord, type CohortSource } from '../../cohort/read-cohort';
import type { Household } from '../../domain/household';

const readAll = async (input: CohortSource, format: 'csv' | 'json' = 'csv') => {
  const records: CohortRecord[] = [];
  for await (const record of readCohort(input, format)) records.push(record);
  return records;
};
/** The text as a stream of byte chunks of the given size (cutting through a BOM or a multi-byte letter). */
const read = (text: string, format: 'csv' | 'json' = 'csv', chunkBytes = 7) => {
  const bytes = Buffer.from(text);
  return readAll(
    (async function* () {
      for (let i = 0; i < bytes.length; i += chunkBytes) yield bytes.subarray(i, i + chunkBytes);
    })(),
    format,
  );
};
const summary = (records: CohortRecord[]) => records.map((r) => ('problems' in r ? [r.row, ...r.problems.map((p) => `${p.field}:${p.code}`)] : [r.row, 'ok']));

const header = 'family_card_number,head_nik,head_name,region_code,decile,welfare_status,phone,email';
const siti: Household = { familyCardNumber: '3509010000000001', headNik: '3509014507850003', headName: 'Siti Aminah', region: '35.09.01.2001', decile: 1, welfareStatus: 'extreme_poor' };
const sitiLine = '3509010000000001,3509014507850003,Siti Aminah,35.09.01.2001,1,extreme_poor,,';

describe('reading a cohort CSV', () => {
  it('reads valid rows into households, numbering data rows from 1', async () => {
    const csv = `${header}\n${sitiLine}\n3509010000000002,3509011507850004,"Santoso, Budi",35.09.01.2002,2,poor,081234567890,budi@example.id\n`;
    expect(await read(csv)).toStrictEqual([
      { row: 1, household: siti },
      {
        row: 2,
        household: { familyCardNumber: '3509010000000002', headNik: '3509011507850004', headName: 'Santoso, Budi', region: '35.09.01.2002', decile: 2, welfareStatus: 'poor', phone: '081234567890', email: 'budi@example.id' },
      },
    ]);
  });

  it('reads a semicolon spreadsheet with a BOM, CRLF, Indonesian headers, quoted cells, blank and empty rows and extra columns', async () => {
    const csv = [
      '\uFEFF No_KK ;NIK;Nama;Keterangan;KODE_WILAYAH;Desil;Status_Kesejahteraan;No_HP',
      '3509010000000001;3509014507850003;"Aminah; Siti ""Ani""";pindahan;3509012001;2;POOR;0812-3456-7890',
      '',
      ';;;;;;;',
      '3509010000000002;3509011507850004;Santoso, Budi;;35.09.01.2001;1;poor;',
      '3509010000000003;3509015507850005;Ni Luh Ésa Putu;;35.09.01.2001;1;vulnerable;',
      '',
    ].join('\r\n');
    expect(await read(csv)).toStrictEqual([
      { row: 1, household: { ...siti, headName: 'Aminah; Siti "Ani"', decile: 2, welfareStatus: 'poor', phone: '081234567890' } },
      { row: 2, household: { ...siti, familyCardNumber: '3509010000000002', headNik: '3509011507850004', headName: 'Santoso, Budi', welfareStatus: 'poor' } },
      { row: 3, household: { ...siti, familyCardNumber: '3509010000000003', headNik: '3509015507850005', headName: 'Ni Luh Ésa Putu', welfareStatus: 'vulnerable' } },
    ]);
  });

  it('reads the same file with either delimiter, with or without BOM, in any chunking', async () => {
    const rows = [header, sitiLine, '3509010000000002,3509011507850004,"Santoso, Budi",35.09.01.2001,1,poor,,'];
    const comma = rows.join('\n');
    const semicolon = rows.map((line) => line.replaceAll('"Santoso, Budi"', 'Santoso, Budi').replaceAll(',', ';').replace('Santoso; Budi', 'Santoso, Budi')).join('\r\n');
    const expected = await read(comma);
    expect(expected).toHaveLength(2);
    expect(summary(expected)).toEqual([[1, 'ok'], [2, 'ok']]);
    for (const text of [comma, `\uFEFF${comma}`, semicolon, `\uFEFF${semicolon}`]) {
      for (const chunkBytes of [1, 5, 1 << 16]) expect(await read(text, 'csv', chunkBytes)).toStrictEqual(expected);
    }
    // A Node stream will do as well as an async iterable.
    expect(await readAll(Readable.from([Buffer.from(semicolon)]), 'csv')).toStrictEqual(expected);
  });

  it('reports each kind of bad row exactly, and every problem of a row', async () => {
    const csv = [
      header,
      sitiLine,
      '3509010000000002,350901450785,Budi,35.09.01.2001,1,poor,,',
      '3509010000000003,3509013002850003,Budi,35.09.01.2001,1,poor,,',
      '3509010000000004,3507014507850004,Sri,35.09.01.2001,1,poor,,',
      '3509010000000005,3507014507850005,Dewi,35.09.1.2001,1,poor,,',
      '3509010000000006,3509014507850006,,35.09.01.2001,eleven,rich,12,not-an-email',
      '35090100000007,,Agus,35.09.01.2001,1,poor,,',
    ].join('\n');
    const records = await read(csv);
    expect(records.slice(1)).toEqual([
      { row: 2, familyCardNumber: '3509010000000002', problems: [{ field: 'head_nik', code: 'malformed', message: 'must be a 16-digit NIK' }] },
      { row: 3, familyCardNumber: '3509010000000003', problems: [{ field: 'head_nik', code: 'impossible-nik', message: 'must have a birth date that exists (DDMMYY, day + 40 for women)' }] },
      {
        row: 4,
        familyCardNumber: '3509010000000004',
        problems: [{ field: 'head_nik', code: 'nik-region-mismatch', message: "must have a region part (digits 1-6) equal to region_code's province, regency and district" }],
      },
      { row: 5, familyCardNumber: '3509010000000005', problems: [{ field: 'region_code', code: 'region-format', message: 'must be a village code like 35.09.01.2001' }] },
      {
        row: 6,
        familyCardNumber: '3509010000000006',
        problems: [
          { field: 'head_name', code: 'missing', message: 'must not be empty' },
          { field: 'decile', code: 'malformed', message: 'must be a whole number from 1 to 10' },
          { field: 'welfare_status', code: 'malformed', message: 'must be one of extreme_poor, poor, vulnerable, stable' },
          { field: 'phone', code: 'malformed', message: 'must be a phone number of 8 to 15 digits' },
          { field: 'email', code: 'malformed', message: 'must be an e-mail address' },
        ],
      },
      // No readable KK: the record has none.
      {
        row: 7,
        problems: [
          { field: 'family_card_number', code: 'malformed', message: 'must be the 16-digit family-card number (KK)' },
          { field: 'head_nik', code: 'missing', message: 'must not be empty' },
        ],
      },
    ]);
    const text = JSON.stringify(records.slice(1));
    for (const personal of ['350901450785', '3509013002850003', '3507014507850004', 'Budi', 'Dewi', 'not-an-email']) expect(text).not.toContain(personal);
  });

  it('finds duplicate households and NIKs, naming the earlier row', async () => {
    const csv = [
      header,
      sitiLine,
      '3509010000000001,3509014507850003,Siti Aminah,35.09.01.2001,2,poor,,', // same household again
      '3509010000000001,3509011507850009,Siti Aminah,35.09.01.2001,1,poor,,', // same KK, another head
      '3509010000000002,3509014507850003,Budi,35.09.01.2001,1,poor,,', // another KK, Siti's NIK
      '3509010000000003,3509011507850004,Sri,35.09.01.2001,1,poor,,',
      '3509010000000001,3509011507850004,,35.09.01.2001,1,poor,,', // Siti's KK and Sri's NIK, and no name
      '3509010000000004,3509011507850005,,35.09.01.2001,1,poor,,', // invalid: does not claim its KK or NIK
      '3509010000000004,3509011507850005,Agus,35.09.01.2001,1,poor,,',
    ].join('\n');
    const records = await read(csv);
    expect(summary(records)).toEqual([
      [1, 'ok'],
      [2, 'family_card_number:duplicate-household'],
      [3, 'family_card_number:duplicate-household'],
      [4, 'head_nik:duplicate-nik'],
      [5, 'ok'],
      [6, 'family_card_number:duplicate-household', 'head_nik:duplicate-nik', 'head_name:missing'],
      [7, 'head_name:missing'],
      [8, 'ok'],
    ]);
    expect(records[1]).toEqual({ row: 2, familyCardNumber: '3509010000000001', problems: [{ field: 'family_card_number', code: 'duplicate-household', message: 'is the same family-card number as row 1' }] });
    expect(records[3]).toEqual({ row: 4, familyCardNumber: '3509010000000002', problems: [{ field: 'head_nik', code: 'duplicate-nik', message: 'is the same head NIK as row 1, another household' }] });
    expect(records[5]).toMatchObject({ problems: [{ message: 'is the same family-card number as row 1' }, { message: 'is the same head NIK as row 5, another household' }, {}] });
  });

  it("accepts women's birth days (+40) and 29 February only where some century had it", async () => {
    const csv = [
      header,
      '3509010000000001,3509016902000001,A,35.09.01.2001,1,poor,,', // a woman born 29.02.2000
      '3509010000000002,3509012902960001,B,35.09.01.2001,1,poor,,', // a man born 29.02.1996
      '3509010000000003,3509016902010001,C,35.09.01.2001,1,poor,,', // 29.02.01 never was
      '3509010000000004,3509013202850001,D,35.09.01.2001,1,poor,,', // day 32
    ].join('\n');
    expect(summary(await read(csv))).toEqual([[1, 'ok'], [2, 'ok'], [3, 'head_nik:impossible-nik'], [4, 'head_nik:impossible-nik']]);
  });

  it('refuses a header lacking required columns, naming them', async () => {
    const error = await read('no_kk;nama;phone\n3509010000000001;Siti;\n').catch((err: unknown) => err);
    expect(error).toBeInstanceOf(CohortFormatError);
    expect(error).toMatchObject({ message: 'the header lacks the columns head_nik, region_code, decile, welfare_status', field: 'head_nik' });
    await expect(read(header.replace(',decile', ''))).rejects.toMatchObject({ message: 'the header lacks the column decile', field: 'decile' });
    await expect(read(`${header},nik\n`)).rejects.toMatchObject({ message: 'the header names the column head_nik more than once', field: 'head_nik' });
  });

  it('refuses an empty file, and reads a header alone as no rows', async () => {
    for (const empty of ['', '\uFEFF', '\r\n\n  \n']) await expect(read(empty)).rejects.toMatchObject({ name: 'CohortFormatError', field: 'file' });
    expect(await read(`\n${header}\r\n`)).toEqual([]);
  });

  it('refuses a file that is not CSV without quoting its cells', async () => {
    const error = await read(`${header}\n3509010000000001,3509014507850003,"Siti Aminah,35.09.01.2001,1,poor,,\n`).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(CohortFormatError);
    expect(error).toMatchObject({ field: 'file', message: expect.stringMatching(/^the file is not readable as CSV \(CSV_\w+/) });
    expect((error as Error).message).not.toMatch(/Siti|3509014507850003/);
  });

  it('passes an error of the upload itself on unchanged', async () => {
    const tooLarge = new Error('the upload is larger than 200 MB');
    for (const format of ['csv', 'json'] as const) {
      const failing = (async function* () {
        yield format === 'csv' ? `${header}\n${sitiLine}\n` : `[${JSON.stringify(siti)},`;
        throw tooLarge;
      })();
      await expect(readAll(failing, format)).rejects.toBe(tooLarge);
    }
  });

  it('stops reading the upload when the reader stops', async () => {
    let closed = false;
    const upload = (async function* () {
      try {
        yield `${header}\n`;
        for (let n = 1; ; n++) yield `35090100000${String(n).padStart(5, '0')},3509014507850003,Siti,35.09.01.2001,1,poor,,\n`;
      } finally {
        closed = true;
      }
    })();
    for await (const record of readCohort(upload, 'csv')) if (record.row === 3) break;
    await vi.waitFor(() => expect(closed).toBe(true));
  });
});

describe('reading a cohort JSON array', () => {
  it('reads either key style, numbers elements from 1, and reports elements that are no object', async () => {
    const json = JSON.stringify([
      siti,
      42,
      { no_kk: '3509010000000002', nik: '3509011507850002', nama: 'Budi', kode_wilayah: '35.09.01.2001', desil: '3', status_kesejahteraan: 'vulnerable' },
      null,
      ['3509010000000003'],
      { family_card_number: '3509010000000003', head_nik: '3509011507850002', head_name: 'Sri', region_code: '35.09.01.2001', decile: 1, welfare_status: 'poor' },
      {},
    ]);
    const records = await read(`\uFEFF${json}`, 'json', 11);
    expect(records.slice(0, 3)).toStrictEqual([
      { row: 1, household: siti },
      { row: 2, problems: [{ field: 'row', code: 'malformed', message: 'must be an object of columns' }] },
      { row: 3, household: { familyCardNumber: '3509010000000002', headNik: '3509011507850002', headName: 'Budi', region: '35.09.01.2001', decile: 3, welfareStatus: 'vulnerable' } },
    ]);
    expect(summary(records.slice(3))).toEqual([
      [4, 'row:malformed'],
      [5, 'row:malformed'],
      [6, 'head_nik:duplicate-nik'],
      [7, 'family_card_number:missing', 'head_nik:missing', 'head_name:missing', 'region_code:missing', 'decile:missing', 'welfare_status:missing'],
    ]);
  });

  it('refuses an array of which no element is an object: no cohort, not an empty one', async () => {
    for (const text of ['[1, 2, 3]', '[["3509010000000001", "3509011507850002"]]', '[null]']) {
      await expect(read(text, 'json'), text).rejects.toMatchObject({ name: 'CohortFormatError', field: 'file', message: expect.stringMatching(/no element is an object/) });
    }
  });

  it('reads an empty array as no rows', async () => {
    expect(await read(' [ ] ', 'json')).toEqual([]);
  });

  it('refuses broken JSON, and JSON that is no array', async () => {
    for (const text of ['[{"no_kk": "1"', '[{"no_kk": "1"},]', '', '{"rows": []}', 'no_kk,nik\n']) {
      await expect(read(text, 'json'), text).rejects.toMatchObject({ name: 'CohortFormatError', field: 'file', message: expect.stringMatching(/^the body is not a JSON array of households/) });
    }
  });
});

describe('summarising a cohort', () => {
  it('counts rows, valid and invalid ones, rows per problem code, and lists the first invalid rows', async () => {
    const csv = [header, sitiLine, sitiLine, '3509010000000002,,,35.09.01.2001,1,poor,,', sitiLine, '3509010000000003,3509014507850003,Sri,35.09.01.2001,1,poor,,'].join('\n');
    const builder = new CohortReportBuilder(2);
    for await (const record of readCohort(Readable.from([csv]), 'csv')) builder.add(record);
    const report = builder.report();
    expect(CohortReportSchema.parse(report)).toEqual(report);
    expect(report).toMatchObject({ rows: 5, valid: 1, invalid: 4, problems: { 'duplicate-household': 2, missing: 1, 'duplicate-nik': 1 }, invalidRowsTruncated: true });
    expect(report.invalidRows.map((r) => r.row)).toEqual([2, 3]);
    // The report is a snapshot: adding later rows does not change it.
    builder.add({ row: 6, household: siti });
    expect(report.rows).toBe(5);
  });
});

/** The n-th household of a synthetic extract: unique KK and NIK, NIK consistent with the region. */
function syntheticLine(n: number): string {
  const day = (Math.floor(n / 9999) % 28) + 1 + (n % 2 === 0 ? 40 : 0);
  const nik = `350901${String(day).padStart(2, '0')}0785${String((n % 9999) + 1).padStart(4, '0')}`;
  return `3509${String(n).padStart(12, '0')};${nik};Warga ${n};35.09.01.${2001 + (n % 20)};${1 + (n % 10)};poor;;\r\n`;
}

async function* syntheticCsv(rows: number, rowsPerChunk = 500): AsyncGenerator<Buffer> {
  yield Buffer.from(`\uFEFF${header.replaceAll(',', ';')}\r\n`);
  for (let from = 0; from < rows; from += rowsPerChunk) {
    let chunk = '';
    for (let n = from; n < Math.min(rows, from + rowsPerChunk); n++) chunk += syntheticLine(n);
    yield Buffer.from(chunk);
  }
}

describe('streaming a large cohort', () => {
  it('reads 100,000 rows with memory bounded by the duplicate maps, not the file', async () => {
    const before = process.memoryUsage().heapUsed;
    let valid = 0;
    let invalid = 0;
    let peak = 0;
    for await (const record of readCohort(syntheticCsv(100_000), 'csv')) {
      if ('household' in record) valid += 1;
      else invalid += 1;
      if (record.row % 5_000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed - before);
    }
    expect({ valid, invalid }).toEqual({ valid: 100_000, invalid: 0 });
    expect(peak).toBeLessThan(150 * 1024 * 1024);
  }, 120_000);

  it('reads a JSON array of 100,000 households as it streams', async () => {
    async function* syntheticJson(rows: number): AsyncGenerator<string> {
      yield '[';
      for (let n = 0; n < rows; n++) {
        const [familyCardNumber, headNik, headName, region, decile, welfareStatus] = syntheticLine(n).split(';');
        yield `${n ? ',' : ''}${JSON.stringify({ familyCardNumber, headNik, headName, region, decile: Number(decile), welfareStatus })}`;
      }
      yield ']';
    }
    const before = process.memoryUsage().heapUsed;
    let valid = 0;
    let peak = 0;
    for await (const record of readCohort(syntheticJson(100_000), 'json')) {
      if ('household' in record) valid += 1;
      if (record.row % 5_000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed - before);
    }
    expect(valid).toBe(100_000);
    expect(peak).toBeLessThan(150 * 1024 * 1024);
  }, 120_000);
});
