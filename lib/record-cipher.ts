import { KeyRing, DecryptionError, type PayloadKey } from './key-ring';

// Key ids are letters, digits and ._- (config), base64 has no colon: the record splits unambiguously.
const SEALED_PREFIX = 'aes1:';

/**
 * Personal data Sinergi keeps on disk (cohorts, exclusions, import reports), sealed one record
 * at a time with the payload key ring: a record is one line `aes1:<key id>:<base64 iv+ciphertext+tag>`,
 * so files stay line-oriented, are read a batch at a time from any line's offset, and each line
 * names the key that opens it. A record written before encryption (plain JSON) reads as it is.
 */
export class RecordCipher {
  private readonly ring: KeyRing;

  constructor(keys: readonly PayloadKey[]) {
    this.ring = new KeyRing(keys);
  }

  /** The id of the key new records are sealed with. */
  get currentKeyId(): string {
    return this.ring.currentId;
  }

  /** The ids of the keys records open with (a store counts what will not open by the key id it names). */
  get keyIds(): string[] {
    return this.ring.ids;
  }

  /** One line of text (without its newline) sealed under the current key. */
  seal(text: string): string {
    const { keyId, sealed } = this.ring.seal(Buffer.from(text, 'utf8'));
    return `${SEALED_PREFIX}${keyId}:${sealed.toString('base64')}`;
  }

  /** The text of a sealed record; a record that is not sealed (written before encryption) as it is. */
  open(record: string): string {
    const keyId = keyIdOf(record);
    if (keyId === undefined) return record;
    if (!keyId) throw new DecryptionError('sealed record without its key id');
    return this.ring.open(keyId, Buffer.from(record.slice(record.lastIndexOf(':') + 1), 'base64'), 'record').toString('utf8');
  }
}

export const isSealed = (record: string) => record.startsWith(SEALED_PREFIX);

/** The id of the key a sealed record names (read without opening it); undefined for a plain one. */
export const keyIdOf = (record: string): string | undefined => (isSealed(record) ? record.slice(SEALED_PREFIX.length, record.lastIndexOf(':')) : undefined);
