import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { holidaysDir, loadHolidayCalendar, readHolidayYearFiles } from '../../config/holiday-files';
import { calendarLookup, decreedCalendarYear, parseHolidayYearFile, type CalendarYear, type DecreedYearFile } from '../../domain/holiday-calendar';

const file2026 = () => JSON.parse(readFileSync(path.join(holidaysDir, '2026.json'), 'utf8')) as DecreedYearFile;
const refusal = (edit: (file: DecreedYearFile) => void) => {
  const file = file2026();
  edit(file);
  try {
    parseHolidayYearFile(file, '2026.json');
  } catch (error) {
    return (error as Error).message;
  }
  return 'accepted';
};

describe('the 2026 decree file', () => {
  it('holds the SKB 3 Menteri of 19 September 2025: 17 national holidays and 8 days of cuti bersama', () => {
    const { file, notes } = parseHolidayYearFile(file2026(), '2026.json');
    expect(file.status).toBe('decreed');
    if (file.status !== 'decreed') return;
    expect(file.decree.numbers).toEqual({ menteriAgama: '1497 Tahun 2025', menteriKetenagakerjaan: '2 Tahun 2025', menteriPanrb: '5 Tahun 2025' });
    expect(file.decree.signed).toBe('2025-09-19');
    expect(file.nationalHolidays).toHaveLength(17);
    expect(file.cutiBersama.map((d) => d.date)).toEqual(['2026-02-16', '2026-03-18', '2026-03-20', '2026-03-23', '2026-03-24', '2026-05-15', '2026-05-28', '2026-12-24']);
    expect(file.nationalHolidays.filter((d) => d.nameId.startsWith('Idul Fitri')).map((d) => d.date)).toEqual(['2026-03-21', '2026-03-22']);
    expect(notes).toEqual([
      'nationalHolidays[4] 2026-03-21 (Idul Fitri 1447 Hijriah) falls on a Saturday',
      'nationalHolidays[5] 2026-03-22 (Idul Fitri 1447 Hijriah) falls on a Sunday',
      'nationalHolidays[7] 2026-04-05 (Kebangkitan Yesus Kristus (Paskah)) falls on a Sunday',
      'nationalHolidays[11] 2026-05-31 (Hari Raya Waisak 2570 BE) falls on a Sunday',
    ]);
  });
});

describe('parseHolidayYearFile refuses a bad file, naming the field', () => {
  it('a date listed twice', () => {
    expect(refusal((f) => (f.nationalHolidays[1]!.date = '2026-01-01'))).toContain('nationalHolidays[1].date: 2026-01-01 is listed twice (also nationalHolidays[0])');
  });

  it('a date outside the file’s year', () => {
    expect(refusal((f) => (f.cutiBersama[0]!.date = '2025-12-31'))).toContain('cutiBersama[0].date: 2025-12-31 is not in 2026');
  });

  it('cuti bersama on a national holiday', () => {
    expect(refusal((f) => (f.cutiBersama[1]!.date = '2026-03-19'))).toContain('cutiBersama[1].date: 2026-03-19 is already a national holiday (nationalHolidays[3])');
  });

  it('a date that does not exist, a missing name, an unknown field', () => {
    expect(refusal((f) => (f.nationalHolidays[2]!.date = '2026-02-30'))).toContain('nationalHolidays[2].date: is not a calendar date');
    expect(refusal((f) => delete (f.nationalHolidays[0] as Partial<DecreedYearFile['nationalHolidays'][0]>).nameEn)).toContain('nationalHolidays[0].nameEn');
    expect(refusal((f) => Object.assign(f, { holidays: [] }))).toContain('holidays');
  });

  it('a file whose name is not its year', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'holidays-'));
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, '2025.json'), JSON.stringify(file2026()));
    expect(() => readHolidayYearFiles(dir)).toThrow('invalid holiday file 2025.json: year: 2026 does not match the file name');
  });
});

describe('loadHolidayCalendar', () => {
  it('takes decreed years from the files and fills years without a decree from the library, flagged provisional and without duplicates', () => {
    const { calendar } = loadHolidayCalendar([2026, 2027, 2028]);
    expect(calendar.map((y) => [y.year, y.basis])).toEqual([
      [2026, 'decreed'],
      [2027, 'provisional'],
      [2028, 'provisional'],
    ]);
    const y2027 = calendar.find((y) => y.year === 2027)!;
    const dates = y2027.daysOff.map((d) => d.date);
    expect(new Set(dates).size).toBe(dates.length);
    // The library lists Maulid Nabi three times in 2027 (two are really 27 Rajab, Isra Mikraj); one Maulid is left.
    expect(y2027.daysOff.filter((d) => d.nameId.includes('Maulid')).map((d) => d.date)).toEqual(['2027-08-14']);
    expect(y2027.daysOff.find((d) => d.date === '2027-12-25')?.nameId).toBe('Isra Mikraj Nabi Muhammad / Hari Raya Natal');
  });
});

describe('calendarLookup', () => {
  it('prefers a decree over an estimate for the same year, and counts unknown years by weekends only', () => {
    const estimate: CalendarYear = { year: 2026, basis: 'provisional', daysOff: [{ date: '2026-03-20', kind: 'national-holiday', nameId: 'Idul Fitri', nameEn: 'Eid' }] };
    const decree = decreedCalendarYear(file2026());
    const lookup = calendarLookup([estimate, decree]);
    expect(lookup.counting(2026)).toBe('decreed');
    expect(lookup.dayOff('2026-03-20')?.kind).toBe('cuti-bersama');
    expect(lookup.counting(2031)).toBe('weekends-only');
  });
});
