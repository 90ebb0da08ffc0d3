import { z } from 'zod';

/**
 * What a job-training step gives whichever agency trains: the course. One schema for all of
 * them, so a training step reassigned from kemnaker to pemda needs no new plan.
 */
export const TrainingParametersSchema = z.object({ course: z.string().min(1) });
