import path from 'node:path';
import { RecordCipher } from '../lib/record-cipher';
import { EncryptionCodec } from '../temporal/payload-codec';

/**
 * `npm run bench -- --no-encryption` starts the API and the worker through this file
 * (`without-encryption.ts <entry>`), to measure what encryption costs: payloads and DATA_DIR
 * records pass through in the clear. A benchmark's own patch, never a product setting: Sinergi
 * has no way to run unencrypted. (A wrapper, not a `node --import` preload: the worker's workflow
 * threads would load a preload too, without tsx.)
 */
EncryptionCodec.prototype.encode = async (payloads) => payloads;
EncryptionCodec.prototype.decode = async (payloads) => payloads;
RecordCipher.prototype.seal = (text) => text;
RecordCipher.prototype.open = (record) => record;

const [entry] = process.argv.splice(2, 1);
if (!entry) throw new Error('usage: without-encryption.ts <entry.ts>');
void import(path.resolve(entry));
