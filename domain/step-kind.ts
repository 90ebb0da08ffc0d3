import { z } from 'zod';

/** What a plan step asks of an agency; apart from agency.ts so agency definitions can use it. */
export const StepKindSchema = z.enum(['aid-disbursement', 'job-training', 'micro-capital', 'follow-up-visit']);
export type StepKind = z.infer<typeof StepKindSchema>;

/** The kinds of step whose completion gives the household something (money), rather than a service it takes part in. */
export const ReceivedKindSchema = StepKindSchema.extract(['aid-disbursement', 'micro-capital']);
export type ReceivedKind = z.infer<typeof ReceivedKindSchema>;
