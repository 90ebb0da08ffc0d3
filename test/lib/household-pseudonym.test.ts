import { createHmac } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { developmentHouseholdKey, householdPseudonymKey, loadConfig } from '../../config/config';
import { HouseholdKeySchema } from '../../domain/ids';
import { householdPseudonym } from '../../lib/household-pseudonym';

const kk = '3509010101010001';
const b64 = (fill: number) => Buffer.alloc(32, fill).toString('base64');

describe('household pseudonyms', () => {
  it('are 24 lowercase hex characters: the first 12 bytes of HMAC-SHA256 of the KK, never mistaken for a KK', () => {
    const key = Buffer.alloc(32, 1);
    const pseudonym = householdPseudonym(key)(kk);
    expect(pseudonym).toMatch(/^[0-9a-f]{24}$/);
    expect(HouseholdKeySchema.safeParse(pseudonym).success).toBe(true);
    expect(HouseholdKeySchema.safeParse(kk).success).toBe(false);
    expect(pseudonym).toBe(createHmac('sha256', key).update(kk).digest('hex').slice(0, 24));
    expect(pseudonym).not.toContain(kk);
  });

  it('are stable for a key and a KK, differ between KKs, and depend on the key', () => {
    const ofKey1 = householdPseudonym(Buffer.alloc(32, 1));
    expect(ofKey1(kk)).toBe(householdPseudonym(Buffer.alloc(32, 1))(kk));
    expect(ofKey1('3509010101010002')).not.toBe(ofKey1(kk));
    expect(householdPseudonym(Buffer.alloc(32, 2))(kk)).not.toBe(ofKey1(kk));
  });

  it('refuse a key that is not 32 bytes', () => {
    expect(() => householdPseudonym(Buffer.alloc(16))).toThrow(/32 bytes, not 16/);
  });
});

describe('the household key from the environment', () => {
  it('is read from SINERGI_HOUSEHOLD_KEY or a file, and is the development key outside production when unset', async () => {
    expect(householdPseudonymKey(loadConfig({ SINERGI_HOUSEHOLD_KEY: b64(3) }))).toEqual(Buffer.alloc(32, 3));
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'sinergi-household-key-')), 'key');
    await writeFile(file, `${b64(4)}\n`);
    expect(householdPseudonymKey(loadConfig({ SINERGI_HOUSEHOLD_KEY_FILE: file }))).toEqual(Buffer.alloc(32, 4));
    expect(householdPseudonymKey(loadConfig({}))).toBe(developmentHouseholdKey);
  });

  it('names the variable, never the key, when the key is wrong', () => {
    const short = b64(5).slice(0, 20);
    const attempt = () => loadConfig({ SINERGI_HOUSEHOLD_KEY: short });
    expect(attempt).toThrow(/SINERGI_HOUSEHOLD_KEY: the key must be 32 bytes/);
    expect(attempt).not.toThrow(short);
    expect(() => loadConfig({ SINERGI_HOUSEHOLD_KEY: 'not base64!' })).toThrow(/SINERGI_HOUSEHOLD_KEY: the key must be base64/);
    expect(() => loadConfig({ SINERGI_HOUSEHOLD_KEY: b64(1), SINERGI_HOUSEHOLD_KEY_FILE: '/x' })).toThrow(/SINERGI_HOUSEHOLD_KEY_FILE: set SINERGI_HOUSEHOLD_KEY or SINERGI_HOUSEHOLD_KEY_FILE, not both/);
    expect(() => loadConfig({ SINERGI_HOUSEHOLD_KEY_FILE: '/nonexistent/key' })).toThrow(/SINERGI_HOUSEHOLD_KEY_FILE: cannot read/);
  });

  it('is refused in production when unset or the development key, and taken when one of its own', () => {
    expect(() => householdPseudonymKey(loadConfig({ NODE_ENV: 'production' }))).toThrow(/Refusing to start in production.*no household pseudonym key/);
    const dev = developmentHouseholdKey.toString('base64');
    expect(() => householdPseudonymKey(loadConfig({ NODE_ENV: 'production', SINERGI_HOUSEHOLD_KEY: dev }))).toThrow(/the development key/);
    expect(householdPseudonymKey(loadConfig({ NODE_ENV: 'production', SINERGI_HOUSEHOLD_KEY: b64(7) }))).toEqual(Buffer.alloc(32, 7));
  });
});
