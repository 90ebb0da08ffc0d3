import { z } from 'zod';
import { nikPattern, nikProblem } from './nik';
import { statedInDocument } from './stated-rule';
import { nonBlankText } from './text';
import { WelfareStatusSchema } from './welfare-status';

/** Kemendagri village code: province.regency.district.village, e.g. 35.09.01.2001 */
/** The regency (kabupaten/kota) of a village code: 35.09 of 35.09.01.2001. */
export const regencyOf = (villageCode: string) => villageCode.slice(0, 5);

export const VillageCodeSchema = z
  .string()
  .regex(/^\d{2}\.\d{2}\.\d{2}\.\d{4}$/, 'must be a village code like 35.09.01.2001');

/** Region filter: any level of the code, e.g. 35 or 35.09 or 35.09.01. */
export const RegionPrefixSchema = z
  .string()
  .regex(/^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$/, 'must be a region code like 35, 35.09, 35.09.01 or 35.09.01.2001');

export const FamilyCardNumberSchema = z.string().regex(/^\d{16}$/, 'must be the 16-digit family-card number (KK)');

/**
 * Structure and birth date are checked here; the cohort import also checks it against the region
 * column. The check is the pattern the API document carries; nikProblem says what is wrong.
 */
export const NikSchema = z
  .string()
  .superRefine((nik, ctx) => {
    if (!nikPattern.test(nik)) ctx.addIssue({ code: 'custom', message: nikProblem(nik) ?? 'must be a possible NIK', params: statedInDocument });
  })
  .meta({ pattern: nikPattern.source, description: '16-digit NIK: region (6 digits), birth date DDMMYY (day + 40 for women), serial other than 0000' });

export const HouseholdSchema = z.object({
  familyCardNumber: FamilyCardNumberSchema,
  headNik: NikSchema,
  headName: nonBlankText(200),
  region: VillageCodeSchema,
  decile: z.number().int().min(1).max(10),
  welfareStatus: WelfareStatusSchema,
  phone: z
    .string()
    .regex(/^\+?\d{8,15}$/, 'must be a phone number of 8 to 15 digits')
    .optional(),
  // The document states the address form the check takes (format: email alone allows more).
  email: z.email().meta({ pattern: z.regexes.email.source }).optional(),
});
export type Household = z.infer<typeof HouseholdSchema>;
