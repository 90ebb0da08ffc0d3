/**
 * NIK: region (6 digits: province, regency, district), birth date DDMMYY with day + 40 for
 * women, serial (4 digits, not 0000). Pure, so workflows and the cohort import share it.
 */

/** True when the value has the NIK's form (16 digits), whether or not its date is possible. */
export const isNikShaped = (nik: string): boolean => /^\d{16}$/.test(nik);

/**
 * What nikProblem accepts, as one pattern for the API document: region, then a birth date that
 * exists in 19yy or 20yy (day + 40 for women; 29 February when yy is a multiple of 4), then a
 * serial other than 0000. test/domain/nik-pattern.test.ts holds the two to each other.
 */
const days1To28 = '(?:[04][1-9]|[15][0-9]|[26][0-8])';
const anyMonth = '(?:0[1-9]|1[0-2])';
const birthDate = [
  `${days1To28}${anyMonth}[0-9]{2}`,
  // The 29th and 30th of every month but February, the 31st of the long months.
  '(?:[26]9|[37]0)(?:0[13-9]|1[0-2])[0-9]{2}',
  '[37]1(?:0[13578]|1[02])[0-9]{2}',
  // 29 February of a leap year: 2000 was one, so every multiple of 4 is in one of the centuries.
  '[26]902(?:[02468][048]|[13579][26])',
].join('|');
export const nikPattern = new RegExp(`^[0-9]{6}(?:${birthDate})(?!0000)[0-9]{4}$`);

/**
 * Why the NIK is malformed or impossible, or undefined when it is a possible NIK. The message
 * describes the expected form and never quotes the NIK (it is personal data).
 */
export function nikProblem(nik: string): string | undefined {
  if (!isNikShaped(nik)) return 'must be a 16-digit NIK';
  const rawDay = Number(nik.slice(6, 8));
  const month = Number(nik.slice(8, 10));
  const yy = Number(nik.slice(10, 12));
  if (!((rawDay >= 1 && rawDay <= 31) || (rawDay >= 41 && rawDay <= 71))) return 'must have a birth day of 01-31, or 41-71 for women (digits 7-8)';
  if (month < 1 || month > 12) return 'must have a birth month of 01-12 (digits 9-10)';
  const day = rawDay > 40 ? rawDay - 40 : rawDay;
  // The century is not in the NIK: a date that exists in either 19yy or 20yy is accepted.
  if (!isDate(1900 + yy, month, day) && !isDate(2000 + yy, month, day)) return 'must have a birth date that exists (DDMMYY, day + 40 for women)';
  if (nik.slice(12) === '0000') return 'must not have the serial 0000 (digits 13-16)';
  return undefined;
}

function isDate(year: number, month: number, day: number): boolean {
  // Day 0 of the next month is this month's last day (UTC, no time zone surprises).
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The NIK's region part: province, regency and district, 6 digits. */
export const nikRegion = (nik: string): string => nik.slice(0, 6);

/** The same three levels of a village code: 35.09.01.2001 → 350901. */
export const regionDigitsOfVillage = (villageCode: string): string => villageCode.split('.').slice(0, 3).join('');

/** A NIK as people may see it where the full number is not allowed (GLOSSARY): region part and serial, the birth date hidden: 350701******0003. */
export function maskedNik(nik: string): string {
  return nik.length === 16 ? `${nik.slice(0, 6)}******${nik.slice(12)}` : '*'.repeat(nik.length);
}
