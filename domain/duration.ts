import { z } from 'zod';
import { parse } from 'tinyduration';
import { statedInDocument } from './stated-rule';

const MS = { weeks: 604_800_000, days: 86_400_000, hours: 3_600_000, minutes: 60_000, seconds: 1_000 } as const;

/**
 * How many digits each unit may have: the pattern is the bound, so the API document states it
 * and no sum of the largest numbers (999 weeks, 999 days, 9999 hours... about 23 years) can
 * carry a date out of range. Above a unit's digits, the next unit up says it in fewer.
 */
const digits = { weeks: 3, days: 3, hours: 4, minutes: 5, seconds: 6 } as const;

/**
 * An ISO-8601 duration in weeks, days, hours, minutes and seconds (P14D, PT36H, PT2.5S), with a
 * non-zero digit somewhere (so it is positive). ASCII digits, ECMAScript and Python alike.
 */
export const isoDurationPattern = new RegExp(
  `^P(?=[^1-9]*[1-9])(?:[0-9]{1,${digits.weeks}}W)?(?:[0-9]{1,${digits.days}}D)?` +
    `(?:T(?=[0-9])(?:[0-9]{1,${digits.hours}}H)?(?:[0-9]{1,${digits.minutes}}M)?(?:[0-9]{1,${digits.seconds}}(?:\\.[0-9]{1,3})?S)?)?$`,
);

/** Why a value is not a duration the API takes; undefined when it is (exactly when it matches the pattern). */
function durationProblem(value: string): string | undefined {
  if (isoDurationPattern.test(value)) return undefined;
  let d: ReturnType<typeof parse>;
  try {
    d = parse(value);
  } catch {
    return 'must be an ISO-8601 duration such as P14D or PT12H';
  }
  if (d.years || d.months) return 'use weeks or days instead of months or years';
  if (d.negative || !/[1-9]/.test(value)) return 'must be a positive duration';
  return `must be an ISO-8601 duration such as P14D or PT12H, with at most ${digits.weeks} digits of weeks, ${digits.days} of days, ${digits.hours} of hours, ${digits.minutes} of minutes and ${digits.seconds} of seconds (3 decimals)`;
}

/**
 * An ISO-8601 duration in weeks, days, hours, minutes and seconds (P14D, PT36H, PT2S).
 * Months and years are refused: their length depends on the calendar, an SLA's must not.
 */
export const IsoDurationSchema = z
  .string()
  .superRefine((value, ctx) => {
    const message = durationProblem(value);
    if (message) ctx.addIssue({ code: 'custom', message, params: statedInDocument });
  })
  .meta({
    // The check above is this pattern; its messages say more than the pattern would.
    pattern: isoDurationPattern.source,
    description: `ISO-8601 duration in weeks, days, hours, minutes, seconds (P14D, PT12H), positive, at most ${digits.weeks} digits of weeks, ${digits.days} of days, ${digits.hours} of hours, ${digits.minutes} of minutes, ${digits.seconds} of seconds`,
  });

export function durationToMs(value: string): number {
  const d = parse(value);
  return (
    (d.weeks ?? 0) * MS.weeks +
    (d.days ?? 0) * MS.days +
    (d.hours ?? 0) * MS.hours +
    (d.minutes ?? 0) * MS.minutes +
    (d.seconds ?? 0) * MS.seconds
  );
}

/** The longest duration the pattern allows (about 23 years): every date it moves stays a date. */
export const longestDurationMs = durationToMs(`P${'9'.repeat(digits.weeks)}W${'9'.repeat(digits.days)}DT${'9'.repeat(digits.hours)}H${'9'.repeat(digits.minutes)}M${'9'.repeat(digits.seconds)}.999S`);
