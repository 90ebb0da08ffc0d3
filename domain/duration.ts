import { z } from 'zod';
import { parse } from 'tinyduration';

const MS = { weeks: 604_800_000, days: 86_400_000, hours: 3_600_000, minutes: 60_000, seconds: 1_000 } as const;
/** Ten years: no SLA, extension or age filter needs more, and beyond it dates stop being dates. */
const maxMs = 520 * MS.weeks;

/**
 * An ISO-8601 duration in weeks, days, hours, minutes and seconds (P14D, PT36H, PT2S).
 * Months and years are refused: their length depends on the calendar, an SLA's must not.
 */
export const IsoDurationSchema = z.string().superRefine((value, ctx) => {
  try {
    const d = parse(value);
    if (d.years || d.months) ctx.addIssue({ code: 'custom', message: 'use weeks or days instead of months or years' });
    else if (d.negative || durationToMs(value) <= 0) ctx.addIssue({ code: 'custom', message: 'must be a positive duration' });
    else if (durationToMs(value) > maxMs) ctx.addIssue({ code: 'custom', message: 'must be at most ten years (P520W)' });
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be an ISO-8601 duration such as P14D or PT12H' });
  }
}).meta({
  // For the API document only: the messages above say more than a pattern would.
  pattern: '^P(?=\\d|T\\d)(\\d+W)?(\\d+D)?(T(?=\\d)(\\d+H)?(\\d+M)?(\\d+(\\.\\d+)?S)?)?$',
  description: 'ISO-8601 duration in weeks, days, hours, minutes, seconds (P14D, PT12H)',
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
