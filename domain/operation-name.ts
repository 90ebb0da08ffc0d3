import { z } from 'zod';

/** What a manager may do: to one step of a run, or (cancel) to the whole run. */
export const OperationNameSchema = z.enum(['retry', 'skip', 'extend', 'reassign', 'cancel']);
export type OperationName = z.infer<typeof OperationNameSchema>;

/** The operations on one step, each at /v1/runs/:id/steps/:key/:op. */
export const StepOperationNameSchema = OperationNameSchema.exclude(['cancel']);
