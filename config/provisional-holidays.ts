import Holidays from 'date-holidays';
import type { CalendarYear, DayOff } from '../domain/holiday-calendar';

/**
 * date-holidays names 27 Rajab (Isra Mikraj) "Maulid Nabi Muhammad" in Indonesian, so a year can list Maulid
 * three times (2027); the rule tells the days apart, so the name is taken from it.
 */
const nameIdByRule: Record<string, string> = { '27 Rajab': 'Isra Mikraj Nabi Muhammad' };

export interface LibraryHoliday extends DayOff {
  rule: string;
}

/**
 * The library's public holidays for Indonesia as it lists them, names and duplicates and all: for comparing with a decree.
 * Its Islamic dates are astronomical estimates (the Ministry of Religious Affairs may differ by a day) and it
 * knows no cuti bersama.
 */
export function libraryHolidays(year: number): LibraryHoliday[] {
  const inId = new Holidays('ID', { types: ['public'] }).getHolidays(year, 'id');
  const nameEn = new Map(new Holidays('ID', { types: ['public'] }).getHolidays(year, 'en').map((h) => [`${h.date} ${h.rule}`, h.name]));
  return inId.map((h) => ({
    date: h.date.slice(0, 10),
    kind: 'national-holiday' as const,
    nameId: h.name,
    nameEn: nameEn.get(`${h.date} ${h.rule}`) ?? h.name,
    rule: h.rule,
  }));
}

/** A year without a decree, filled from the library: one entry per date (coinciding days joined), flagged provisional. */
export function provisionalCalendarYear(year: number): CalendarYear {
  const byDate = new Map<string, DayOff>();
  for (const { rule, ...listed } of libraryHolidays(year)) {
    const day = { ...listed, nameId: nameIdByRule[rule] ?? listed.nameId };
    const same = byDate.get(day.date);
    byDate.set(day.date, same ? { ...same, nameId: `${same.nameId} / ${day.nameId}`, nameEn: `${same.nameEn} / ${day.nameEn}` } : day);
  }
  return { year, basis: 'provisional', daysOff: [...byDate.values()].sort((a, b) => a.date.localeCompare(b.date)) };
}
