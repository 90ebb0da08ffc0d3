import { z } from 'zod';
import { nikProblem } from './nik';
import { WelfareStatusSchema } from './welfare-status';

/** Kemendagri village code: province.regency.district.village, e.g. 35.09.01.2001 */
export const VillageCodeSchema = z
  .string()
  .regex(/^\d{2}\.\d{2}\.\d{2}\.\d{4}$/, 'must be a village code like 35.09.01.2001');

/** Region filter: any level of the code, e.g. 35 or 35.09 or 35.09.01. */
export const RegionPrefixSchema = z
  .string()
  .regex(/^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$/, 'must be a region code like 35, 35.09, 35.09.01 or 35.09.01.2001');

export const FamilyCardNumberSchema = z.string().regex(/^\d{16}$/, 'must be the 16-digit family-card number (KK)');

/** Structure and birth date are checked here; the cohort import also checks it against the region column. */
export const NikSchema = z.string().superRefine((nik, ctx) => {
  const problem = nikProblem(nik);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

export const HouseholdSchema = z.object({
  familyCardNumber: FamilyCardNumberSchema,
  headNik: NikSchema,
  headName: z.string().trim().min(1).max(200),
  region: VillageCodeSchema,
  decile: z.number().int().min(1).max(10),
  welfareStatus: WelfareStatusSchema,
  phone: z
    .string()
    .regex(/^\+?\d{8,15}$/, 'must be a phone number of 8 to 15 digits')
    .optional(),
  email: z.email().optional(),
});
export type Household = z.infer<typeof HouseholdSchema>;
