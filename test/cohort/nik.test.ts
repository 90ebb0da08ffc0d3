import { describe, expect, it } from 'vitest';
import { NikSchema } from '../../domain/household';
import { isNikShaped, maskedNik, nikProblem, nikRegion, regionDigitsOfVillage } from '../../domain/nik';

const badForm = 'must be a 16-digit NIK';
const badDay = 'must have a birth day of 01-31, or 41-71 for women (digits 7-8)';
const badMonth = 'must have a birth month of 01-12 (digits 9-10)';
const noSuchDate = 'must have a birth date that exists (DDMMYY, day + 40 for women)';
const badSerial = 'must not have the serial 0000 (digits 13-16)';

/** region 350901, then DDMMYY, then the serial. */
const nik = (ddmmyy: string, serial = '0003') => `350901${ddmmyy}${serial}`;

describe('NIK', () => {
  it('accepts the birth dates of men and of women (day + 40)', () => {
    for (const ddmmyy of ['150785', '010100', '311299', '550785', '410100', '711299']) expect(nikProblem(nik(ddmmyy)), ddmmyy).toBeUndefined();
  });

  it('refuses what is not 16 digits as malformed', () => {
    for (const value of ['', '350901150785000', '35090115078500031', '3509011507850O03', ' 3509011507850003', '3509-01150785003']) {
      expect(nikProblem(value), value).toBe(badForm);
      expect(isNikShaped(value)).toBe(false);
    }
  });

  it('refuses impossible days, months and serials', () => {
    expect(nikProblem(nik('000785'))).toBe(badDay);
    expect(nikProblem(nik('320785'))).toBe(badDay);
    expect(nikProblem(nik('400785'))).toBe(badDay);
    expect(nikProblem(nik('720785'))).toBe(badDay);
    expect(nikProblem(nik('150085'))).toBe(badMonth);
    expect(nikProblem(nik('151385'))).toBe(badMonth);
    expect(nikProblem(nik('150785', '0000'))).toBe(badSerial);
    expect(isNikShaped(nik('150785', '0000'))).toBe(true);
  });

  it('knows the length of each month, for men and women alike', () => {
    expect(nikProblem(nik('300285'))).toBe(noSuchDate);
    expect(nikProblem(nik('700285'))).toBe(noSuchDate);
    expect(nikProblem(nik('310485'))).toBe(noSuchDate);
    expect(nikProblem(nik('710485'))).toBe(noSuchDate);
    expect(nikProblem(nik('300485'))).toBeUndefined();
  });

  it('accepts 29 February of a year that is a leap year in 19YY or 20YY, and no other', () => {
    expect(nikProblem(nik('290200'))).toBeUndefined(); // 2000 was a leap year (1900 was not)
    expect(nikProblem(nik('690200'))).toBeUndefined(); // a woman born that day
    expect(nikProblem(nik('290296'))).toBeUndefined(); // 1996
    expect(nikProblem(nik('290204'))).toBeUndefined(); // 2004
    expect(nikProblem(nik('290201'))).toBe(noSuchDate);
    expect(nikProblem(nik('690201'))).toBe(noSuchDate);
    expect(nikProblem(nik('290297'))).toBe(noSuchDate);
  });

  it('gives its region part, comparable with a village code', () => {
    expect(nikRegion('3509014507850003')).toBe('350901');
    expect(regionDigitsOfVillage('35.09.01.2001')).toBe('350901');
  });

  it('is what the household schema checks, with the same message', () => {
    const parsed = NikSchema.safeParse(nik('290201'));
    expect(parsed.error?.issues.map((i) => i.message)).toEqual([noSuchDate]);
    expect(NikSchema.safeParse(nik('690200')).success).toBe(true);
  });
});

describe('maskedNik', () => {
  it('keeps the region part and the serial, hides the birth date (GLOSSARY: 350701******0003)', () => {
    expect(maskedNik('3507014507850003')).toBe('350701******0003');
    expect(maskedNik('12345')).toBe('*****');
  });
});
