import { FamilyCardNumberSchema } from '../../domain/household';
import type { HouseholdKeyOf } from '../../lib/household-pseudonym';

/**
 * The HouseholdId values the runs of these households carry, each with the household (KK) it
 * stands for: the household's pseudonym, and its KK, which runs started before pseudonyms still
 * carry, so their running runs keep counting in the screening until they end. Each KK is checked
 * to be 16 digits and each pseudonym is hex, so quoting them into a query is safe.
 */
export function householdIdValues(familyCardNumbers: readonly string[], householdKeyOf: HouseholdKeyOf): Map<string, string> {
  const byValue = new Map<string, string>();
  for (const kk of familyCardNumbers.map((id) => FamilyCardNumberSchema.parse(id))) {
    byValue.set(householdKeyOf(kk), kk);
    byValue.set(kk, kk);
  }
  return byValue;
}

/** `HouseholdId IN (...)` lists of at most `size` values each: one visibility query per list. */
export function quotedLists(values: Iterable<string>, size = 400): string[] {
  const all = [...values].map((v) => `'${v}'`);
  const lists: string[] = [];
  for (let i = 0; i < all.length; i += size) lists.push(all.slice(i, i + size).join(', '));
  return lists;
}
