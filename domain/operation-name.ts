import { z } from 'zod';

/**
 * What a manager may do: to one step of a run, to the whole run (cancel), or to its graduation
 * (decide-graduation: approve, or overrule, the decision the score proposed).
 */
export const OperationNameSchema = z.enum(['retry', 'skip', 'extend', 'reassign', 'cancel', 'decide-graduation']);
export type OperationName = z.infer<typeof OperationNameSchema>;

/** The operations on one step, each at /v1/runs/:id/steps/:key/:op. */
export const StepOperationNameSchema = OperationNameSchema.exclude(['cancel', 'decide-graduation']);
export type StepOperationName = z.infer<typeof StepOperationNameSchema>;

/** What a bulk operation may apply to every run it matches. */
export const BulkOperationNameSchema = OperationNameSchema.exclude(['decide-graduation']);
