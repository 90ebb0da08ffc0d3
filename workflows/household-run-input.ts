import { z } from 'zod';
import { DecreedDaySchema } from '../domain/holiday-calendar';
import { HouseholdSchema } from '../domain/household';
import { HouseholdKeySchema, RolloutIdSchema } from '../domain/ids';
import { ProgramPlanSchema } from '../domain/program-plan';

/** The days off of the years a run may span, as loaded when it started (config/holiday-files.ts): a HolidayCalendar. */
export const PinnedCalendarSchema = z
  .array(
    z.object({
      year: z.number().int(),
      basis: z.enum(['decreed', 'provisional']),
      // Dates and kinds only: the names are for people, and each run's history carries this.
      daysOff: z.array(DecreedDaySchema.pick({ date: true }).extend({ kind: z.enum(['national-holiday', 'cuti-bersama']) })).readonly(),
    }),
  )
  .readonly();

/**
 * A run's input carries its own copy of the plan, so later plan edits never change it, and of
 * the holiday calendar its deadlines count against, so a holiday file decreed or corrected
 * later never moves a running deadline (nor its replay). Runs started without a calendar keep
 * deadlines as elapsed time.
 */
export const HouseholdRunInputSchema = z.object({
  runId: z.string(),
  rolloutId: RolloutIdSchema,
  household: HouseholdSchema,
  /** The household's pseudonym, its HouseholdId search attribute; runs started before pseudonyms have none (their KK is used). */
  householdKey: HouseholdKeySchema.optional(),
  plan: ProgramPlanSchema,
  startedBy: z.string(),
  calendar: PinnedCalendarSchema.optional(),
});
export type HouseholdRunInput = z.infer<typeof HouseholdRunInputSchema>;
