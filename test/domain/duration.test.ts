import { describe, expect, it } from 'vitest';
import { durationToMs, isoDurationPattern, IsoDurationSchema, longestDurationMs } from '../../domain/duration';
import { slaDeadline } from '../../domain/working-days';

const problem = (value: string) => IsoDurationSchema.safeParse(value).error?.issues[0]?.message;

describe('IsoDurationSchema', () => {
  it('takes weeks, days and times, and converts them exactly', () => {
    expect(problem('P14D')).toBeUndefined();
    expect(durationToMs('P1W2DT3H4M5S')).toBe(((9 * 24 + 3) * 60 + 4) * 60_000 + 5_000);
  });

  it('refuses calendar units, zero, negative and absurd durations, saying why', () => {
    expect(problem('P1M')).toBe('use weeks or days instead of months or years');
    expect(problem('PT0S')).toBe('must be a positive duration');
    expect(problem('14 days')).toBe('must be an ISO-8601 duration such as P14D or PT12H');
    // Found by the API fuzzer: a filter this old made an invalid date and a 500; now the pattern's digits bound it.
    expect(problem('P5919242W883DT75731213819100H')).toMatch(/^must be an ISO-8601 duration such as P14D or PT12H, with at most 3 digits of weeks/);
    expect(problem('P520W')).toBeUndefined();
  });

  it('takes exactly what its pattern (the API document\'s) allows, so a fuzzer finds no value the document allows and the API refuses', () => {
    const allowed = ['P14D', 'PT36H', 'P800D', 'P999W', 'PT0.5S', 'P1W2DT3H4M5.125S', 'PT9999H', 'PT99999M', 'PT999999S', 'P001D'];
    const refused = ['P000W', 'PT0S', 'P0DT0H', 'PT0.000S', 'P1000W', 'P1000D', 'PT10000H', 'PT1.0001S', 'P1M', 'P1Y', '-P1D', 'P', 'PT', 'P1DT', 'P1D ', ' P1D', 'P1,5D', 'P١D'];
    for (const value of allowed) expect([value, isoDurationPattern.test(value), problem(value)]).toEqual([value, true, undefined]);
    for (const value of refused) expect([value, isoDurationPattern.test(value), typeof problem(value)]).toEqual([value, false, 'string']);
    expect(problem('P000W')).toBe('must be a positive duration');
  });

  it('keeps every date it moves a date: the longest duration the pattern allows is about 23 years', () => {
    expect(longestDurationMs).toBe(durationToMs('P999W999DT9999H99999M999999.999S'));
    expect(longestDurationMs / (365.25 * 86_400_000)).toBeLessThan(24);
    const now = Date.parse('2026-11-30T00:00:00Z');
    expect(new Date(now + longestDurationMs).toISOString()).toMatch(/^2050-/);
    expect(new Date(now - longestDurationMs).toISOString()).toMatch(/^2003-/);
    // Counted in working days too, through years no holiday file has decreed yet.
    const deadline = slaDeadline(now, 'P999W999D', { region: '35.09.01.2001', workingDays: true, calendar: [] });
    expect(Number.isFinite(deadline.at)).toBe(true);
    expect(new Date(deadline.at).getUTCFullYear()).toBeGreaterThan(2045);
  });
});
