import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { decreedCalendarYear, parseHolidayYearFile, type HolidayCalendar, type HolidayYearFile } from '../domain/holiday-calendar';
import { provisionalCalendarYear } from './provisional-holidays';

export const holidaysDir = path.join(__dirname, 'holidays');

/** Every `<year>.json` under the folder, validated; the first bad file stops the load with its fields named. */
export function readHolidayYearFiles(dir: string = holidaysDir): { files: HolidayYearFile[]; notes: string[] } {
  const names = readdirSync(dir).filter((name) => name.endsWith('.json')).sort();
  const read = names.map((name) => {
    const source = path.join(dir, name);
    const { file, notes } = parseHolidayYearFile(JSON.parse(readFileSync(source, 'utf8')), name);
    if (name !== `${file.year}.json`) throw new Error(`invalid holiday file ${name}: year: ${file.year} does not match the file name`);
    return { file, notes: notes.map((note) => `${name}: ${note}`) };
  });
  return { files: read.map((r) => r.file), notes: read.flatMap((r) => r.notes) };
}

/**
 * The calendar deadlines are counted against: every decreed year, and for each wanted year without a decree the
 * library's provisional estimate. Read in an activity, so a changed file never alters a running workflow's replay.
 */
export function loadHolidayCalendar(wantedYears: readonly number[], dir: string = holidaysDir): { calendar: HolidayCalendar; notes: string[] } {
  const { files, notes } = readHolidayYearFiles(dir);
  const decreed = files.flatMap((file) => (file.status === 'decreed' ? [decreedCalendarYear(file)] : []));
  const missing = wantedYears.filter((year) => !decreed.some((d) => d.year === year));
  return { calendar: [...decreed, ...missing.map(provisionalCalendarYear)], notes };
}
