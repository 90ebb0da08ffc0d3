import { describe, expect, it } from 'vitest';
import { loadHolidayCalendar } from '../../config/holiday-files';
import { zoneOffsetMinutes, zones, type ZoneLabel } from '../../domain/region-zone';
import { nextOfficeHour, OfficeHoursSchema, slaDeadline, withinOfficeHours } from '../../domain/working-days';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const decreed = loadHolidayCalendar([2026]).calendar;
const withProvisional2027 = loadHolidayCalendar([2026, 2027]).calendar;
const workingDays = (region: string, calendar = decreed) => ({ region, workingDays: true, calendar });

describe('zones', () => {
  it('are the fixed offsets the IANA zones give', () => {
    const hourIn = (timeZone: string) => new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' }).format(at('2026-06-01T00:00:00Z'));
    expect([hourIn(zones.WIB), hourIn(zones.WITA), hourIn(zones.WIT)]).toEqual(['07', '08', '09']);
    for (const label of Object.keys(zones) as ZoneLabel[]) expect(zoneOffsetMinutes[label]).toBe(Number(hourIn(zones[label])) * 60);
    // 08.00 local on a working day is inside office hours in each zone, 07.00 local is not.
    expect(withinOfficeHours(at('2026-06-02T01:00:00Z'), '35', decreed)).toBe(true);
    expect(withinOfficeHours(at('2026-06-02T00:00:00Z'), '51', decreed)).toBe(true);
    expect(withinOfficeHours(at('2026-06-01T23:00:00Z'), '91', decreed)).toBe(true);
    expect(withinOfficeHours(at('2026-06-01T22:00:00Z'), '91', decreed)).toBe(false);
  });
});

describe('slaDeadline in working days', () => {
  // Tuesday 17 March 2026, 10.00 WIB: then Nyepi (18 cuti, 19), Idul Fitri (20 cuti, 21–22, 23–24 cuti), Good Friday on 3 April.
  const beforeLebaran = at('2026-03-17T03:00:00Z');

  it('skips Nyepi, Idul Fitri and its cuti bersama, and Good Friday: P10D ends Wednesday 8 April at closing', () => {
    expect(slaDeadline(beforeLebaran, 'P10D', workingDays('35.09'))).toEqual({ at: at('2026-04-08T09:00:00Z'), zone: 'WIB', notDecreed: [] });
  });

  it('ends at local closing, so the same instant gives a different UTC deadline in WITA and WIT', () => {
    expect(iso(slaDeadline(beforeLebaran, 'P10D', workingDays('51.71')).at)).toBe('2026-04-08T08:00:00.000Z');
    expect(iso(slaDeadline(beforeLebaran, 'P10D', workingDays('91.01')).at)).toBe('2026-04-08T07:00:00.000Z');
  });

  it('counts weekends only for a year it has no days off for, and says so', () => {
    expect(slaDeadline(beforeLebaran, 'P10D', workingDays('35', []))).toEqual({
      at: at('2026-03-31T09:00:00Z'),
      zone: 'WIB',
      notDecreed: [{ year: 2026, counting: 'weekends-only' }],
    });
  });

  it('does not count the day it starts on: a Saturday start ends Monday at 16.00, five days end Friday at 16.30', () => {
    const saturday = at('2026-11-28T02:00:00Z');
    expect(iso(slaDeadline(saturday, 'P1D', workingDays('35')).at)).toBe('2026-11-30T09:00:00.000Z');
    expect(iso(slaDeadline(saturday, 'P5D', workingDays('35')).at)).toBe('2026-12-04T09:30:00.000Z');
    expect(slaDeadline(saturday, 'P1W', workingDays('35')).at).toBe(slaDeadline(saturday, 'P5D', workingDays('35')).at);
  });

  it('gives a task opened late on Friday, or during Friday office hours, until Monday closing', () => {
    expect(iso(slaDeadline(at('2026-11-27T13:00:00Z'), 'P1D', workingDays('35')).at)).toBe('2026-11-30T09:00:00.000Z');
    expect(iso(slaDeadline(at('2026-11-27T03:00:00Z'), 'P1D', workingDays('35')).at)).toBe('2026-11-30T09:00:00.000Z');
  });

  it('skips cuti bersama and Christmas at the end of 2026', () => {
    expect(iso(slaDeadline(at('2026-12-23T03:00:00Z'), 'P2D', workingDays('35')).at)).toBe('2026-12-29T09:00:00.000Z');
  });

  it('flags a deadline counted over a year not decreed yet as provisional', () => {
    // 31 Dec counts; 1 Jan and 5 Jan 2027 (the library's Isra Mikraj) are skipped, estimated.
    expect(slaDeadline(at('2026-12-30T03:00:00Z'), 'P5D', workingDays('35', withProvisional2027))).toEqual({
      at: at('2027-01-08T09:30:00Z'),
      zone: 'WIB',
      notDecreed: [{ year: 2027, counting: 'provisional' }],
    });
    expect(slaDeadline(at('2027-12-30T03:00:00Z'), 'P2D', workingDays('35', withProvisional2027)).notDecreed).toEqual([
      { year: 2027, counting: 'provisional' },
      { year: 2028, counting: 'weekends-only' },
    ]);
  });

  it('keeps hours as elapsed time, passing them before counting days', () => {
    const mondayAfternoon = at('2026-11-30T07:00:00Z');
    expect(slaDeadline(mondayAfternoon, 'PT36H', workingDays('35')).at).toBe(mondayAfternoon + 36 * 3_600_000);
    expect(iso(slaDeadline(mondayAfternoon, 'P2DT4H', workingDays('35')).at)).toBe('2026-12-02T09:00:00.000Z');
  });

  it('counts an unknown province in WIB and refuses calendar months', () => {
    expect(slaDeadline(beforeLebaran, 'P10D', workingDays('99')).zone).toBe('WIB');
    expect(() => slaDeadline(beforeLebaran, 'P1M', workingDays('35'))).toThrow(RangeError);
  });
});

describe('slaDeadline in calendar days', () => {
  it('ends on the local day ten days later at the same local time, holidays or not', () => {
    const mondayWita = at('2026-11-16T07:00:00Z'); // Monday 15.00 WITA
    expect(slaDeadline(mondayWita, 'P10D', { region: '51', workingDays: false, calendar: decreed })).toEqual({ at: at('2026-11-26T07:00:00Z'), zone: 'WITA', notDecreed: [] });
    expect(iso(slaDeadline(at('2026-03-17T03:00:00Z'), 'P10D', { region: '35', workingDays: false, calendar: decreed }).at)).toBe('2026-03-27T03:00:00.000Z');
  });
});

describe('office hours', () => {
  it('open at 07.30 local time (inclusive) and close at 16.00 (exclusive), in each region’s own zone', () => {
    const mondayWib0730 = at('2026-11-30T00:30:00Z');
    expect(withinOfficeHours(mondayWib0730, '35', decreed)).toBe(true);
    expect(withinOfficeHours(mondayWib0730 - 60_000, '35', decreed)).toBe(false);
    const mondayWib1400 = at('2026-11-30T07:00:00Z'); // 16.00 WIT
    expect(withinOfficeHours(mondayWib1400, '35', decreed)).toBe(true);
    expect(withinOfficeHours(mondayWib1400, '91', decreed)).toBe(false);
    expect(iso(nextOfficeHour(mondayWib1400, '91', decreed))).toBe('2026-11-30T22:30:00.000Z');
    expect(nextOfficeHour(mondayWib1400, '35', decreed)).toBe(mondayWib1400);
  });

  it('stay open until 16.30 on Friday', () => {
    expect(withinOfficeHours(at('2026-12-04T09:15:00Z'), '35', decreed)).toBe(true);
    expect(withinOfficeHours(at('2026-12-03T09:15:00Z'), '35', decreed)).toBe(false);
    expect(iso(nextOfficeHour(at('2026-12-03T09:15:00Z'), '35', decreed))).toBe('2026-12-04T00:30:00.000Z');
  });

  it('wait for the first working day after weekends, holidays and cuti bersama', () => {
    expect(iso(nextOfficeHour(at('2026-11-30T00:00:00Z'), '35', decreed))).toBe('2026-11-30T00:30:00.000Z');
    expect(iso(nextOfficeHour(at('2026-03-17T10:00:00Z'), '35', decreed))).toBe('2026-03-25T00:30:00.000Z');
    expect(withinOfficeHours(at('2026-03-20T03:00:00Z'), '35', decreed)).toBe(false);
  });

  it('take other hours when given, and refuse hours that close before they open', () => {
    const hours = { start: '08:00', end: '16:00' };
    expect(withinOfficeHours(at('2026-11-30T00:30:00Z'), '35', decreed, hours)).toBe(false);
    expect(iso(nextOfficeHour(at('2026-11-30T00:30:00Z'), '35', decreed, hours))).toBe('2026-11-30T01:00:00.000Z');
    expect(OfficeHoursSchema.safeParse({ start: '16:00', end: '08:00' }).error?.issues[0]).toMatchObject({ path: ['end'], message: 'must close after it opens' });
  });
});
