import { z } from 'zod';
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

/**
 * NIK: region (6 digits), birth date DDMMYY with day + 40 for women, serial (4 digits, not 0000).
 * Only the structure is checked here; the cohort import checks it against the region column.
 */
export const NikSchema = z
  .string()
  .regex(/^\d{16}$/, 'must be a 16-digit NIK')
  .refine(isPlausibleNik, 'has an impossible birth date or serial');

function isPlausibleNik(nik: string): boolean {
  const day = Number(nik.slice(6, 8));
  const month = Number(nik.slice(8, 10));
  const dayOfMonth = day > 40 ? day - 40 : day;
  return dayOfMonth >= 1 && dayOfMonth <= 31 && month >= 1 && month <= 12 && nik.slice(12) !== '0000';
}

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
