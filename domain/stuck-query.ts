import { z } from 'zod';
import { AgencySchema } from './agency';
import { IsoDurationSchema } from './duration';
import { RegionPrefixSchema } from './household';
import { numberText } from './number-text';
import { ProgramIdSchema, RolloutIdSchema } from './ids';

/** GET /v1/stuck's filter and page: read from the records store, and by the digest from visibility. */
export const StuckQuerySchema = z.object({
  agency: AgencySchema.optional(),
  /** Any level of the region code: province 35, regency 35.09, ... */
  region: RegionPrefixSchema.optional(),
  program: ProgramIdSchema.optional(),
  rollout: RolloutIdSchema.optional(),
  /** Only steps stuck for at least this long (ISO-8601, e.g. P7D). */
  minAge: IsoDurationSchema.optional(),
  pageSize: numberText(z.coerce.number().int().min(1).max(500)).default(50),
  offset: numberText(z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER)).default(0),
});
export type StuckQuery = z.infer<typeof StuckQuerySchema>;
