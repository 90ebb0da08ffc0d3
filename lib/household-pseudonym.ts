import { createHmac } from 'node:crypto';

const KEY_BYTES = 32;
/** 96 bits: no collision to fear among a country's households, and 24 hex characters, never mistaken for a 16-digit KK. */
const PSEUDONYM_BYTES = 12;

/** A household's pseudonym (its householdKey) from its family-card number (KK). */
export type HouseholdKeyOf = (familyCardNumber: string) => string;

/**
 * What Temporal knows a household by (workflow ids, search attributes, memos): a keyed HMAC of
 * its KK, so no one reading Temporal without the key can tell whose run it is, nor find a
 * household's runs by trying KKs. The key (SINERGI_HOUSEHOLD_KEY) cannot be rotated like the
 * payload keys: every run id and HouseholdId is derived from it, so a new key would be a new name
 * for every household, and their runs would no longer be found by KK.
 */
export function householdPseudonym(key: Uint8Array): HouseholdKeyOf {
  if (key.length !== KEY_BYTES) throw new Error(`the household key must be ${KEY_BYTES} bytes, not ${key.length}`);
  const secret = Buffer.from(key);
  return (familyCardNumber) => createHmac('sha256', secret).update(familyCardNumber, 'utf8').digest().subarray(0, PSEUDONYM_BYTES).toString('hex');
}
