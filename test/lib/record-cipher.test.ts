import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DecryptionError } from '../../lib/key-ring';
import { RecordCipher, isSealed } from '../../lib/record-cipher';
import { makeHousehold } from '../helpers/households';

const key = (id: string) => ({ id, key: randomBytes(32) });

describe('RecordCipher', () => {
  it('round-trips a record as one line naming its key, with none of its text in the clear', () => {
    const household = makeHousehold({ phone: '+6281234567890', email: 'siti@example.id' });
    const cipher = new RecordCipher([key('k1')]);
    const json = JSON.stringify(household);
    const sealed = cipher.seal(json);
    expect(sealed).toMatch(/^aes1:k1:[A-Za-z0-9+/]+=*$/);
    expect(isSealed(sealed)).toBe(true);
    for (const secret of [household.familyCardNumber, household.headNik, household.headName, household.phone!, household.email!]) expect(sealed).not.toContain(secret);
    expect(cipher.open(sealed)).toBe(json);
    // A fresh iv each time.
    expect(cipher.seal(json)).not.toBe(sealed);
    expect(cipher.open(cipher.seal(''))).toBe('');
  });

  it('opens a record sealed under an older key still listed, and seals new ones with the current key', () => {
    const k1 = key('2025-07');
    const k2 = key('2026-01');
    const before = new RecordCipher([k1]).seal('{"a":1}');
    const rotated = new RecordCipher([k2, k1]);
    expect(rotated.open(before)).toBe('{"a":1}');
    expect(rotated.seal('{"a":1}')).toMatch(/^aes1:2026-01:/);
  });

  it('reads a plain JSON record (written before encryption) as it is', () => {
    expect(new RecordCipher([key('k1')]).open('{"familyCardNumber":"3509010101010001"}')).toBe('{"familyCardNumber":"3509010101010001"}');
  });

  it('refuses a record under a key id the ring does not list, naming the id and not the key', () => {
    const old = key('retired-2024');
    const sealed = new RecordCipher([old]).seal('{}');
    const open = () => new RecordCipher([key('current')]).open(sealed);
    expect(open).toThrow(DecryptionError);
    expect(open).toThrow('record encrypted with unknown key id "retired-2024" (the key ring has "current")');
    try {
      open();
    } catch (err) {
      expect(String(err)).not.toContain(old.key.toString('base64'));
    }
  });

  it('refuses a tampered, truncated or keyless record', () => {
    const k1 = key('k1');
    const cipher = new RecordCipher([k1]);
    const sealed = cipher.seal('{"headName":"Siti Aminah"}');
    const data = Buffer.from(sealed.slice('aes1:k1:'.length), 'base64');
    data[data.length - 20]! ^= 1;
    expect(() => cipher.open(`aes1:k1:${data.toString('base64')}`)).toThrow(/failed authentication with key id "k1"/);
    // Another key under the same id.
    expect(() => new RecordCipher([key('k1')]).open(sealed)).toThrow(/failed authentication with key id "k1"/);
    expect(() => cipher.open(`aes1:k1:${data.subarray(0, 20).toString('base64')}`)).toThrow(/too short/);
    expect(() => cipher.open('aes1:nokeyid')).toThrow(/without its key id/);
  });
});
