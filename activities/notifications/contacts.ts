import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { AgencySchema, type Agency } from '../../domain/agency';
import type { DisplayLanguage } from '../../domain/display-format';
import { RegionPrefixSchema } from '../../domain/household';
import { inScope } from '../../domain/region-scope';

const PersonSchema = z.object({
  name: z.string().min(1),
  email: z.email(),
  /** The language of this person's e-mail: Bahasa Indonesia unless they prefer English. */
  language: z.enum(['id', 'en'] as const satisfies readonly DisplayLanguage[]).default('id'),
});
const RegionalPersonSchema = PersonSchema.extend({
  /** Region prefixes this person answers for: "35" (province), "35.07" (regency), ... */
  regions: z.array(RegionPrefixSchema.or(z.literal('*'))).min(1),
});

/** Who hears about a step: each agency's focal point, managers by region, and the level above them. */
export const ContactsSchema = z.object({
  focalPoints: z.partialRecord(AgencySchema, z.array(PersonSchema)).default({}),
  managers: z.array(RegionalPersonSchema).default([]),
  escalation: z.array(RegionalPersonSchema).default([]),
});
export type Contacts = z.infer<typeof ContactsSchema>;
export type Person = z.infer<typeof PersonSchema>;

/** Whether a list of region prefixes ("*" for all) takes in a village code: the scope API principals have too. */
export const covers = (regions: string[], region: string) => inScope(regions.includes('*') ? 'national' : regions, region);

export function focalPointsOf(contacts: Contacts, agency: Agency): Person[] {
  return contacts.focalPoints[agency] ?? [];
}
export function managersOf(contacts: Contacts, region: string): Person[] {
  return contacts.managers.filter((m) => covers(m.regions, region));
}
export function escalationOf(contacts: Contacts, region: string): Person[] {
  return contacts.escalation.filter((m) => covers(m.regions, region));
}

/**
 * Each person's address once, grouped by language with Bahasa Indonesia first, so each reader gets
 * the e-mail in their own language. Someone listed twice reads English if either entry asks for it:
 * Indonesian is only the default, English a stated preference.
 */
export function addressesByLanguage(people: Person[]): Map<DisplayLanguage, string[]> {
  const languageOf = new Map<string, DisplayLanguage>();
  for (const p of people) if (languageOf.get(p.email) !== 'en') languageOf.set(p.email, p.language);
  const groups = new Map<DisplayLanguage, string[]>([['id', []], ['en', []]]);
  for (const [email, language] of languageOf) groups.get(language)!.push(email);
  return new Map([...groups].filter(([, addresses]) => addresses.length > 0));
}

export function loadContacts(path: string): Contacts {
  const parsed = ContactsSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    throw new Error(`invalid contacts file ${path}:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  return parsed.data;
}
