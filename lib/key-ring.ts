import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

/** One AES-256 key of the ring, named by an id that is written beside everything it encrypts. */
export interface PayloadKey {
  id: string;
  key: Uint8Array;
}

/** Data that cannot be decrypted: an unknown key id, or data that fails authentication. */
export class DecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecryptionError';
  }
}

/**
 * AES-256-GCM under a ring of named keys (SINERGI_PAYLOAD_KEYS): seals with the first key and
 * opens with whichever listed key the data names, so a key is rotated by putting a new one first
 * and keeping the old one listed while anything sealed under it is still read. Sealed data is
 * iv + ciphertext + tag, as Temporal's encryption samples lay it out.
 */
export class KeyRing {
  private readonly keys = new Map<string, Buffer>();
  /** The id of the key new data is sealed with. */
  readonly currentId: string;

  constructor(ring: readonly PayloadKey[]) {
    if (ring.length === 0) throw new Error('the payload key ring is empty');
    for (const { id, key } of ring) {
      if (key.length !== KEY_BYTES) throw new Error(`payload key "${id}" must be ${KEY_BYTES} bytes, not ${key.length}`);
      if (this.keys.has(id)) throw new Error(`payload key "${id}" is listed twice`);
      this.keys.set(id, Buffer.from(key));
    }
    this.currentId = ring[0]!.id;
  }

  /** The ids of the keys listed, current first: data sealed under any other will not open. */
  get ids(): string[] {
    return [...this.keys.keys()];
  }

  seal(plain: Uint8Array): { keyId: string; sealed: Buffer } {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentId)!, iv);
    return { keyId: this.currentId, sealed: Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]) };
  }

  /** `what` names the data in errors ("payload", "record"); they name the key id, never a key. */
  open(keyId: string, sealed: Uint8Array, what: string): Buffer {
    const key = this.keys.get(keyId);
    if (!key) throw new DecryptionError(`${what} encrypted with unknown key id "${keyId}" (the key ring has ${[...this.keys.keys()].map((k) => `"${k}"`).join(', ')})`);
    const data = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
    if (data.length < IV_BYTES + TAG_BYTES) throw new DecryptionError(`encrypted ${what} too short (${data.length} bytes) for key id "${keyId}"`);
    const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new DecryptionError(`encrypted ${what} failed authentication with key id "${keyId}" (altered, or another key of that id)`);
    }
  }
}
