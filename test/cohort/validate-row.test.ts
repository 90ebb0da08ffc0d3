import { describe, expect, it } from 'vitest';
import { columnOf, validateCohortRow, rowIdentity, type RowProblem } from '../../cohort/cohort-row';
import { HouseholdSchema } from '../../domain/household';

const row = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  family_card_number: '3509010000000001',
  head_nik: '3509014507850003',
  head_name: 'Siti Aminah',
  region_code: '35.09.01.2001',
  decile: '3',
  welfare_status: 'extreme_poor',
  phone: '',
  email: '',
  ...overrides,
});
const siti = { familyCardNumber: '3509010000000001', headNik: '3509014507850003', headName: 'Siti Aminah', region: '35.09.01.2001', decile: 3, welfareStatus: 'extreme_poor' };

const problemsOf = (raw: Record<string, unknown>): RowProblem[] => {
  const result = validateCohortRow(raw);
  if (!('problems' in result)) throw new Error('expected problems');
  return result.problems;
};

describe('validating a cohort row', () => {
  it('turns a valid CSV row into a Household, leaving out empty optional cells', () => {
    const result = validateCohortRow(row());
    expect(result).toStrictEqual({ household: siti });
    if ('household' in result) expect(HouseholdSchema.parse(result.household)).toStrictEqual(result.household);
  });

  it('reads the Indonesian names, the Household keys and headers in any case with spaces around', () => {
    const indonesian = { no_kk: '3509010000000001', nik: '3509014507850003', nama: 'Siti Aminah', kode_wilayah: '35.09.01.2001', desil: '3', status_kesejahteraan: 'extreme_poor', no_hp: '081234567890' };
    expect(validateCohortRow(indonesian)).toStrictEqual({ household: { ...siti, phone: '081234567890' } });
    expect(validateCohortRow({ ...siti, phone: '+6281234567890', email: 'siti@example.id' })).toStrictEqual({ household: { ...siti, phone: '+6281234567890', email: 'siti@example.id' } });
    expect(validateCohortRow({ ' No_KK ': siti.familyCardNumber, NIK: siti.headNik, Nama: siti.headName, 'Kode Wilayah': siti.region, DESIL: 3, Status_Kesejahteraan: 'extreme_poor', Telepon: '081234567890' })).toStrictEqual({
      household: { ...siti, phone: '081234567890' },
    });
    expect(['no_kk', 'FamilyCardNumber', ' family_card_number '].map(columnOf)).toEqual(['family_card_number', 'family_card_number', 'family_card_number']);
    expect(columnOf('keterangan')).toBeUndefined();
  });

  it('trims cells and normalises the dotless region, the status case and phone punctuation', () => {
    expect(validateCohortRow(row({ head_name: '  Siti Aminah ', region_code: ' 3509012001 ', decile: ' 3 ', welfare_status: 'Extreme Poor', phone: '0812-3456 (7890)', email: ' siti@example.id ' }))).toStrictEqual({
      household: { ...siti, phone: '081234567890', email: 'siti@example.id' },
    });
  });

  it('reports every problem of a row, one per field, in column order', () => {
    expect(problemsOf(row({ head_name: '', decile: 'tiga' }))).toEqual([
      { field: 'head_name', code: 'missing', message: 'must not be empty' },
      { field: 'decile', code: 'malformed', message: 'must be a whole number from 1 to 10' },
    ]);
    expect(problemsOf({})).toEqual(
      ['family_card_number', 'head_nik', 'head_name', 'region_code', 'decile', 'welfare_status'].map((field) => ({ field, code: 'missing', message: 'must not be empty' })),
    );
    expect(problemsOf(row({ family_card_number: '   ', head_nik: '\t', welfare_status: ' ' })).map((p) => `${p.field}:${p.code}`)).toEqual([
      'family_card_number:missing',
      'head_nik:missing',
      'welfare_status:missing',
    ]);
  });

  it('reports each malformed field with the form it expects', () => {
    expect(problemsOf(row({ family_card_number: '35090100000001', decile: '11', welfare_status: 'rich', phone: '12', email: 'not-an-email' }))).toEqual([
      { field: 'family_card_number', code: 'malformed', message: 'must be the 16-digit family-card number (KK)' },
      { field: 'decile', code: 'malformed', message: 'must be a whole number from 1 to 10' },
      { field: 'welfare_status', code: 'malformed', message: 'must be one of extreme_poor, poor, vulnerable, stable' },
      { field: 'phone', code: 'malformed', message: 'must be a phone number of 8 to 15 digits' },
      { field: 'email', code: 'malformed', message: 'must be an e-mail address' },
    ]);
    expect(problemsOf(row({ decile: '0' }))).toEqual([{ field: 'decile', code: 'malformed', message: 'must be a whole number from 1 to 10' }]);
    expect(problemsOf(row({ decile: 3.5 }))).toEqual([{ field: 'decile', code: 'malformed', message: 'must be a whole number from 1 to 10' }]);
    expect(problemsOf(row({ head_name: 'x'.repeat(201) }))).toEqual([{ field: 'head_name', code: 'malformed', message: 'must be a name of at most 200 characters' }]);
  });

  it('refuses JSON values that are not text, and KK numbers too large to be exact', () => {
    expect(problemsOf({ ...siti, headNik: ['3509014507850003'], headName: { first: 'Siti' }, familyCardNumber: 9401010000000001 })).toEqual([
      { field: 'family_card_number', code: 'malformed', message: 'must be text or a number' },
      { field: 'head_nik', code: 'malformed', message: 'must be text or a number' },
      { field: 'head_name', code: 'malformed', message: 'must be text or a number' },
    ]);
    expect(validateCohortRow({ ...siti, familyCardNumber: 3509010000000001 })).toStrictEqual({ household: siti });
  });

  it('tells a malformed NIK from an impossible one', () => {
    expect(problemsOf(row({ head_nik: '350901450785' }))).toEqual([{ field: 'head_nik', code: 'malformed', message: 'must be a 16-digit NIK' }]);
    expect(problemsOf(row({ head_nik: '3509013002850003' }))).toEqual([{ field: 'head_nik', code: 'impossible-nik', message: 'must have a birth date that exists (DDMMYY, day + 40 for women)' }]);
    expect(problemsOf(row({ head_nik: '3509017502850003' }))).toEqual([{ field: 'head_nik', code: 'impossible-nik', message: 'must have a birth day of 01-31, or 41-71 for women (digits 7-8)' }]);
    expect(problemsOf(row({ head_nik: '3509014507850000' }))).toEqual([{ field: 'head_nik', code: 'impossible-nik', message: 'must not have the serial 0000 (digits 13-16)' }]);
  });

  it("checks the NIK's region part against the region's first three levels", () => {
    expect(problemsOf(row({ head_nik: '3507014507850003' }))).toEqual([
      { field: 'head_nik', code: 'nik-region-mismatch', message: "must have a region part (digits 1-6) equal to region_code's province, regency and district" },
    ]);
    // Same district, another village: fine.
    expect(validateCohortRow(row({ region_code: '35.09.01.2007' }))).toStrictEqual({ household: { ...siti, region: '35.09.01.2007' } });
  });

  it('reports a region that is no village code, and then cannot compare the NIK with it', () => {
    for (const region of ['35.09.01', '35.09.1.2001', '350901200', '35-09-01-2001']) {
      expect(problemsOf(row({ region_code: region, head_nik: '3507014507850003' })), region).toEqual([
        { field: 'region_code', code: 'region-format', message: 'must be a village code like 35.09.01.2001' },
      ]);
    }
  });

  it('never puts the NIK, name, phone or e-mail into a message', () => {
    const personal = { head_nik: '3507017102850042', head_name: `Ratna ${'K'.repeat(200)}`, phone: '+62 812 3456 7890 999', email: 'ratna.k@@example.id' };
    const problems = problemsOf(row(personal));
    expect(problems.map((p) => p.field)).toEqual(['head_nik', 'head_name', 'phone', 'email']);
    const text = JSON.stringify(problems);
    for (const value of [...Object.values(personal), '3507017102850042'.slice(0, 12), 'Ratna', '81234567890', 'ratna.k']) expect(text).not.toContain(value);
  });

  it('gives the readable KK and NIK of an invalid row, and nothing unreadable', () => {
    expect(rowIdentity(row({ head_name: '' }))).toEqual({ familyCardNumber: '3509010000000001', headNik: '3509014507850003' });
    expect(rowIdentity({ no_kk: ' 3509010000000001 ', nik: '3509013002850003' })).toEqual({ familyCardNumber: '3509010000000001' });
    expect(rowIdentity({ familyCardNumber: '123' })).toEqual({});
  });
});
