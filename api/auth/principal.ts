import { z } from 'zod';
import { AgencySchema } from '../../domain/agency';
import { RegionPrefixSchema } from '../../domain/household';
import type { RegionScope } from '../../domain/region-scope';

const PrincipalIdSchema = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, 'must be 1-63 lowercase letters, digits and ._-');
const StaffSchema = z.object({
  id: PrincipalIdSchema,
  role: z.enum(['viewer', 'coordinator', 'manager']),
  regions: z
    .array(RegionPrefixSchema)
    .min(1)
    .optional()
    .meta({ description: 'the region prefixes (e.g. 35.09) this person sees and acts in; absent for a national principal' }),
});
const MinistrySchema = z.object({ id: PrincipalIdSchema, role: z.literal('ministry'), agency: AgencySchema });

/** Who is calling: a person with a role, or a ministry's system. */
export const PrincipalSchema = z.discriminatedUnion('role', [StaffSchema, MinistrySchema]);
export type Principal = z.infer<typeof PrincipalSchema>;
export type Role = Principal['role'];

/**
 * The roles with the right to personal data in full: the report with NIK, phone and e-mail, and
 * decrypted Temporal payloads. Everyone else sees NIK masked and no contact details.
 */
export const personalDataRoles = ['coordinator', 'manager'] as const satisfies readonly Role[];
export const canSeePersonalData = (principal: Pick<Principal, 'role'>): boolean => (personalDataRoles as readonly Role[]).includes(principal.role);

/** Where a principal sees and acts: a ministry is limited by its agency instead, so by region it is national. */
export const scopeOf = (principal: Principal): RegionScope => ('regions' in principal && principal.regions ? principal.regions : 'national');

const keyHash = { keySha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be the hex SHA-256 of the API key (npm run new-api-key)') };

/** The credentials file: principals with their API keys stored only as hashes. */
export const CredentialsFileSchema = z
  .object({ principals: z.array(z.discriminatedUnion('role', [StaffSchema.extend(keyHash), MinistrySchema.extend(keyHash)])).min(1) })
  .superRefine((file, ctx) => {
    const ids = new Set<string>();
    file.principals.forEach((p, i) => {
      if (ids.has(p.id)) ctx.addIssue({ code: 'custom', path: ['principals', i, 'id'], message: `duplicate id "${p.id}"` });
      ids.add(p.id);
    });
  });
export type CredentialsFile = z.infer<typeof CredentialsFileSchema>;
