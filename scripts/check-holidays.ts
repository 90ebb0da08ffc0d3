import { libraryHolidays, provisionalCalendarYear } from '../config/provisional-holidays';
import { readHolidayYearFiles } from '../config/holiday-files';
import { decreedCalendarYear, type DayOff } from '../domain/holiday-calendar';

/**
 * Compares date-holidays with every decreed year and shows what it would put in the years not decreed yet.
 * The decree always wins; this says how far the provisional fallback can be trusted. `npm run check:holidays`
 */
const line = (d: DayOff) => `    ${d.date}  ${d.nameId}`;
function repeatedNames(days: DayOff[]): string[] {
  const datesByName = new Map<string, string[]>();
  for (const d of days) datesByName.set(d.nameId, [...(datesByName.get(d.nameId) ?? []), d.date]);
  return [...datesByName].filter(([, dates]) => dates.length > 1).map(([name, dates]) => `    "${name}" ${dates.length}× (${dates.join(', ')})`);
}

const { files, notes } = readHolidayYearFiles();
for (const note of notes) console.log(`note: ${note}`);

for (const file of files) {
  const raw = libraryHolidays(file.year);
  const libraryDates = new Set(raw.map((d) => d.date));
  if (file.status === 'awaiting-decree') {
    const provisional = provisionalCalendarYear(file.year).daysOff;
    console.log(`\n${file.year}: not decreed; provisional from date-holidays: ${raw.length} entries, ${provisional.length} distinct dates`);
    provisional.forEach((d) => console.log(line(d)));
    const repeated = repeatedNames(raw);
    if (repeated.length) console.log(`  names the library repeats:\n${repeated.join('\n')}`);
    continue;
  }
  const decreed = decreedCalendarYear(file).daysOff;
  const national = decreed.filter((d) => d.kind === 'national-holiday');
  const decreedDates = new Set(decreed.map((d) => d.date));
  const agree = national.filter((d) => libraryDates.has(d.date));
  const decreeOnly = national.filter((d) => !libraryDates.has(d.date));
  const libraryOnly = raw.filter((d) => !national.some((n) => n.date === d.date));
  console.log(
    `\n${file.year}: decree ${national.length} national holidays + ${decreed.length - national.length} cuti bersama; ` +
      `date-holidays ${raw.length} entries on ${libraryDates.size} dates; ${agree.length} agree, ${decreeOnly.length} only in the decree, ${libraryOnly.length} only in the library`,
  );
  if (decreeOnly.length) console.log(`  only in the decree:\n${decreeOnly.map(line).join('\n')}`);
  if (libraryOnly.length)
    console.log(`  only in the library:\n${libraryOnly.map((d) => `${line(d)}${decreedDates.has(d.date) ? '  (a cuti bersama day in the decree)' : ''}`).join('\n')}`);
  const repeated = repeatedNames(raw);
  if (repeated.length) console.log(`  names the library repeats:\n${repeated.join('\n')}`);
}
