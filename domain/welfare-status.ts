import { z } from 'zod';

/** The graduation ladder, poorest first. */
export const WelfareStatusSchema = z.enum(['extreme_poor', 'poor', 'vulnerable', 'stable']);
export type WelfareStatus = z.infer<typeof WelfareStatusSchema>;
