import { describe, expect, it } from 'vitest';
import { durationToMs, IsoDurationSchema } from '../../domain/duration';

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
    // Found by the API fuzzer: a filter this old made an invalid date and a 500.
    expect(problem('P5919242W883DT75731213819100H')).toBe('must be at most ten years (P520W)');
    expect(problem('P520W')).toBeUndefined();
  });
});
