import { z } from 'zod';
import { HouseholdSchema } from '../domain/household';
import { RolloutIdSchema } from '../domain/ids';
import { ProgramPlanSchema } from '../domain/program-plan';

/** A run's input carries its own copy of the plan, so later plan edits never change it. */
export const HouseholdRunInputSchema = z.object({
  runId: z.string(),
  rolloutId: RolloutIdSchema,
  household: HouseholdSchema,
  plan: ProgramPlanSchema,
  startedBy: z.string(),
});
export type HouseholdRunInput = z.infer<typeof HouseholdRunInputSchema>;
