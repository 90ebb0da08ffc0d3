import { z } from 'zod';
import { parse } from 'tinyduration';
import { durationToMs } from './duration';
import { calendarLookup, isoDateOfDay, type CalendarLookup, type HolidayCalendar, type YearCounting } from './holiday-calendar';
import { zoneOfRegion, zoneOffsetMinutes, type ZoneLabel } from './region-zone';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** Longest run of days off to look across; the longest Lebaran break is well under a month. */
const maxDaysOffInARow = 60;

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a local time as HH:MM');
const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Office hours in the region's local time; Friday closes later for the longer Friday-prayer break. */
export const OfficeHoursSchema = z
  .strictObject({ start: clock, end: clock, fridayEnd: clock.optional() })
  .refine((h) => minutesOf(h.start) < Math.min(minutesOf(h.end), minutesOf(h.fridayEnd ?? h.end)), { message: 'must close after it opens', path: ['end'] });
export type OfficeHours = z.infer<typeof OfficeHoursSchema>;

/**
 * Government offices (Perpres 21/2023): from 07.30 local time, 37.5 hours over five days, which offices
 * keep as 07.30–16.00 Monday to Thursday and 07.30–16.30 on Friday. Ramadan hours (08.00–15.00) are not modelled.
 */
export const governmentOfficeHours: OfficeHours = { start: '07:30', end: '16:00', fridayEnd: '16:30' };

export interface SlaClock {
  /** Kemendagri region code at any level; its province gives the zone (an unknown province counts in WIB, as displays do). */
  region: string;
  workingDays: boolean;
  calendar: HolidayCalendar;
  hours?: OfficeHours;
}

export interface Deadline {
  at: number;
  zone: ZoneLabel;
  /** Years whose days off were estimated or unknown (weekends only) while counting: the deadline may move once they are decreed. */
  notDecreed: { year: number; counting: Exclude<YearCounting, 'decreed'> }[];
}

/** A region's local time, as whole local days since 1970-01-01 and minutes into the day. */
class LocalClock {
  readonly zone: ZoneLabel;
  private readonly offsetMs: number;
  private readonly lookup: CalendarLookup;

  constructor(region: string, calendar: HolidayCalendar, readonly hours: OfficeHours) {
    this.zone = zoneOfRegion(region)?.label ?? 'WIB';
    this.offsetMs = zoneOffsetMinutes[this.zone] * MINUTE_MS;
    this.lookup = calendarLookup(calendar);
  }

  dayOf(instant: number): number {
    return Math.floor((instant + this.offsetMs) / DAY_MS);
  }
  minuteOf(instant: number): number {
    return Math.floor(((instant + this.offsetMs) % DAY_MS) / MINUTE_MS);
  }
  instantAt(day: number, minute: number): number {
    return day * DAY_MS + minute * MINUTE_MS - this.offsetMs;
  }
  isWorkingDay(day: number): boolean {
    const weekday = (day + 4) % 7; // 1970-01-01 was a Thursday; 0 is Sunday
    return weekday !== 0 && weekday !== 6 && !this.lookup.dayOff(isoDateOfDay(day));
  }
  opens(): number {
    return minutesOf(this.hours.start);
  }
  closes(day: number): number {
    const friday = (day + 4) % 7 === 5;
    return minutesOf(friday ? (this.hours.fridayEnd ?? this.hours.end) : this.hours.end);
  }
  counting(day: number): YearCounting {
    return this.lookup.counting(Number(isoDateOfDay(day).slice(0, 4)));
  }
}

/**
 * When an SLA started at `start` ends.
 *
 * Calendar days (`workingDays: false`) run in the region's zone: P10D from Monday 15.00 WITA ends ten local days later
 * at 15.00 WITA; with fixed offsets that is exactly the elapsed duration.
 *
 * Working days read the way a regency office reads "10 hari kerja sejak diterima": the day the task opens is not
 * counted, then each Monday-to-Friday that is neither a national holiday nor cuti bersama counts one, and the
 * deadline is office closing (16.00, Friday 16.30, local time) of the last counted day. A week (P1W) is five
 * working days. Hours, minutes and seconds stay elapsed time: PT36H is 36 hours whatever the day, and in P2DT4H
 * the four hours pass first, then two working days are counted from the day that lands on.
 */
export function slaDeadline(start: number, duration: string, sla: SlaClock): Deadline {
  const local = new LocalClock(sla.region, sla.calendar, sla.hours ?? governmentOfficeHours);
  const parts = parse(duration);
  if (parts.years || parts.months) throw new RangeError(`an SLA is counted in weeks, days and hours, not ${duration}`);
  const workingDayCount = (parts.weeks ?? 0) * 5 + (parts.days ?? 0);
  if (!sla.workingDays || workingDayCount === 0) return { at: start + durationToMs(duration), zone: local.zone, notDecreed: [] };

  const elapsedMs = durationToMs(duration) - ((parts.weeks ?? 0) * 7 + (parts.days ?? 0)) * DAY_MS;
  let day = local.dayOf(start + elapsedMs);
  const notDecreed = new Map<number, Exclude<YearCounting, 'decreed'>>();
  for (let counted = 0; counted < workingDayCount; ) {
    day += 1;
    const counting = local.counting(day);
    if (counting !== 'decreed') notDecreed.set(Number(isoDateOfDay(day).slice(0, 4)), counting);
    if (local.isWorkingDay(day)) counted += 1;
  }
  return {
    at: local.instantAt(day, local.closes(day)),
    zone: local.zone,
    notDecreed: [...notDecreed].map(([year, counting]) => ({ year, counting })),
  };
}

/** Whether people in the region are at work: a working day there, from opening (inclusive) to closing (exclusive). */
export function withinOfficeHours(instant: number, region: string, calendar: HolidayCalendar, hours: OfficeHours = governmentOfficeHours): boolean {
  const local = new LocalClock(region, calendar, hours);
  const day = local.dayOf(instant);
  const minute = local.minuteOf(instant);
  return local.isWorkingDay(day) && minute >= local.opens() && minute < local.closes(day);
}

/** The first moment at or after `instant` within the region's office hours: when a reminder may go out. */
export function nextOfficeHour(instant: number, region: string, calendar: HolidayCalendar, hours: OfficeHours = governmentOfficeHours): number {
  if (withinOfficeHours(instant, region, calendar, hours)) return instant;
  const local = new LocalClock(region, calendar, hours);
  const today = local.dayOf(instant);
  if (local.isWorkingDay(today) && local.minuteOf(instant) < local.opens()) return local.instantAt(today, local.opens());
  for (let day = today + 1; day <= today + maxDaysOffInARow; day++) if (local.isWorkingDay(day)) return local.instantAt(day, local.opens());
  throw new RangeError(`no working day within ${maxDaysOffInARow} days of ${new Date(instant).toISOString()} in ${local.zone}`);
}
