import { z } from 'zod';

/** The graduation ladder, poorest first. */
export const WelfareStatusSchema = z.enum(['extreme_poor', 'poor', 'vulnerable', 'stable']);
export type WelfareStatus = z.infer<typeof WelfareStatusSchema>;

const ladder = WelfareStatusSchema.options;

/** One rung up the ladder (a graduation), never past stable. */
export const rungUp = (s: WelfareStatus): WelfareStatus => ladder[Math.min(ladder.indexOf(s) + 1, ladder.length - 1)]!;

/** One rung down (a relapse seen after graduation), never below extreme poor. */
export const rungDown = (s: WelfareStatus): WelfareStatus => ladder[Math.max(ladder.indexOf(s) - 1, 0)]!;
