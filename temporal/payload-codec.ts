import path from 'node:path';
import { METADATA_ENCODING_KEY, type DataConverter, type Payload, type PayloadCodec } from '@temporalio/common';
import { decode as utf8, encode as bytesOf } from '@temporalio/common/lib/encoding';
import { temporal } from '@temporalio/proto';
import { DecryptionError, KeyRing, type PayloadKey } from '../lib/key-ring';

export type { PayloadKey } from '../lib/key-ring';
/** A payload that cannot be decrypted: an unknown key id, or data that fails authentication. */
export { DecryptionError as PayloadDecryptionError } from '../lib/key-ring';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';

/**
 * Encrypts every payload with AES-256-GCM under the ring's first key; decrypts with whichever
 * listed key the payload names, so a key is rotated by putting a new one first and keeping the
 * old one listed until no history needs it. Payloads that are not encrypted (histories recorded
 * before encryption) pass through. Data is iv + ciphertext + tag of the proto-encoded original
 * payload, as Temporal's encryption samples lay it out.
 */
export class EncryptionCodec implements PayloadCodec {
  private readonly ring: KeyRing;
  private readonly currentIdBytes: Uint8Array;

  constructor(ring: readonly PayloadKey[]) {
    this.ring = new KeyRing(ring);
    this.currentIdBytes = bytesOf(this.ring.currentId);
  }

  // Synchronous node:crypto (a few µs a payload); a failure still arrives as a rejection.
  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.encrypt(payload));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.decrypt(payload));
  }

  private encrypt(payload: Payload): Payload {
    const { sealed } = this.ring.seal(temporal.api.common.v1.Payload.encode(payload).finish());
    return { metadata: { [METADATA_ENCODING_KEY]: bytesOf(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: this.currentIdBytes }, data: sealed };
  }

  private decrypt(payload: Payload): Payload {
    const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
    if (!encoding || utf8(encoding) !== ENCRYPTED_ENCODING) return payload;
    const idBytes = payload.metadata?.[KEY_ID_METADATA];
    if (!idBytes) throw new DecryptionError(`an encrypted payload without its ${KEY_ID_METADATA}`);
    return temporal.api.common.v1.Payload.decode(this.ring.open(utf8(idBytes), payload.data ?? new Uint8Array(), 'payload'));
  }
}

/** Where the failure converter is, for the SDK to require and to bundle into workflows (no extension: .ts from source, .js once built). */
export const failureConverterPath = path.join(__dirname, 'failure-converter');

/**
 * The data converter of every client and worker Sinergi creates: the default converter, then
 * encryption; failures with their message and stack trace inside the encrypted payload.
 */
export function encryptedDataConverter(ring: readonly PayloadKey[]): DataConverter {
  return { payloadCodecs: [new EncryptionCodec(ring)], failureConverterPath };
}
