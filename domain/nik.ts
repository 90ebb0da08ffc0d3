/**
 * NIK: region (6 digits: province, regency, district), birth date DDMMYY with day + 40 for
 * women, serial (4 digits, not 0000). Pure, so workflows and the import share it.
 */
export function nikProblem(nik: string): { code: 'malformed' | 'impossible'; message: string } | undefined {
  if (!/^\d{16}$/.test(nik)) return { code: 'malformed', message: 'must be a 16-digit NIK' };
  const rawDay = Number(nik.slice(6, 8));
  const day = rawDay > 40 ? rawDay - 40 : rawDay;
  const month = Number(nik.slice(8, 10));
  const yy = Number(nik.slice(10, 12));
  // The century is not in the NIK: a date possible in either 19yy or 20yy is accepted.
  if (!isDate(1900 + yy, month, day) && !isDate(2000 + yy, month, day)) return { code: 'impossible', message: 'has an impossible birth date (DDMMYY, day + 40 for women)' };
  if (nik.slice(12) === '0000') return { code: 'impossible', message: 'has an impossible serial 0000' };
  return undefined;
}

function isDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  // Day 0 of the next month is this month's last day (UTC, no time zone surprises).
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The NIK's region part: province, regency and district, 6 digits. */
export const nikRegion = (nik: string): string => nik.slice(0, 6);

/** The same three levels of a village code: 35.09.01.2001 → 350901. */
export const regionDigitsOfVillage = (village: string): string => village.split('.').slice(0, 3).join('');
