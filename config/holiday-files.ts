import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { decreedCalendarYear, parseHolidayYearFile, type CalendarYear, type HolidayCalendar, type HolidayYearFile } from '../domain/holiday-calendar';
import { provisionalCalendarYear } from './provisional-holidays';

/** Beside this module in the source tree; the compiled build (dist/config/) reads the app's own config/holidays/. */
export const holidaysDir = [path.join(__dirname, 'holidays'), path.resolve(__dirname, '..', '..', 'config', 'holidays')].find((dir) => existsSync(dir)) ?? path.join(__dirname, 'holidays');

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
export function loadHolidayCalendar(wantedYears: readonly number[], dir: string = holidaysDir): { calendar: readonly CalendarYear[]; notes: string[] } {
  const { files, notes } = readHolidayYearFiles(dir);
  const decreed = files.flatMap((file) => (file.status === 'decreed' ? [decreedCalendarYear(file)] : []));
  const missing = wantedYears.filter((year) => !decreed.some((d) => d.year === year));
  return { calendar: [...decreed, ...missing.map(provisionalCalendarYear)], notes };
}

/** How many years a run's pinned calendar covers: the year it starts and the two after (a graduation runs about two). */
const pinnedYears = 3;
const pinnedCalendars = new Map<number, HolidayCalendar>();

/**
 * The calendar pinned into a run starting at `startedAt`: its year and the two after. Loaded once per year and
 * process (a new decree file ships with a release, which restarts the process); loading takes a fifth of a
 * second, too long to repeat for every household of a rollout.
 */
export function calendarForRunStartingAt(startedAt: Date): HolidayCalendar {
  const first = startedAt.getUTCFullYear();
  let calendar = pinnedCalendars.get(first);
  if (!calendar) {
    const years = Array.from({ length: pinnedYears }, (_, i) => first + i);
    // Dates and kinds only, as the run's input pins them (the names would be most of its size).
    calendar = loadHolidayCalendar(years)
      .calendar.filter((y) => years.includes(y.year))
      .map((y) => ({ ...y, daysOff: y.daysOff.map(({ date, kind }) => ({ date, kind })) }));
    pinnedCalendars.set(first, calendar);
  }
  return calendar;
}
