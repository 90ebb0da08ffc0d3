import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { developmentPayloadKey, loadConfig, payloadKeyRing } from '../../config/config';
import { ENCRYPTED_ENCODING, EncryptionCodec, KEY_ID_METADATA, PayloadDecryptionError } from '../../temporal/payload-codec';
import { makeHousehold } from '../helpers/households';

const key = (id: string) => ({ id, key: randomBytes(32) });
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('utf8');
const toPayloads = (...values: unknown[]) => values.map((v) => defaultPayloadConverter.toPayload(v));
const fromPayloads = (payloads: Payload[]) => payloads.map((p) => defaultPayloadConverter.fromPayload(p));

describe('EncryptionCodec', () => {
  it('round-trips payloads, and the encrypted ones carry no plaintext, only the encoding and the key id', async () => {
    const household = makeHousehold();
    const codec = new EncryptionCodec([key('k1')]);
    const values = [{ household }, 'a string', 42, null, undefined, new Uint8Array([1, 2, 3])];
    const encoded = await codec.encode(toPayloads(...values));
    expect(encoded).toHaveLength(values.length);
    for (const payload of encoded) {
      expect(Object.keys(payload.metadata ?? {}).sort()).toEqual(['encoding', KEY_ID_METADATA]);
      expect(text(payload.metadata?.encoding)).toBe(ENCRYPTED_ENCODING);
      expect(text(payload.metadata?.[KEY_ID_METADATA])).toBe('k1');
      for (const secret of [household.headNik, household.headName, 'json/plain']) expect(text(payload.data)).not.toContain(secret);
    }
    expect(fromPayloads(await codec.decode(encoded))).toEqual(values);
    // A fresh iv each time: the same value never encrypts the same way twice.
    const [a, b] = await codec.encode(toPayloads(household, household));
    expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false);
  });

  it('rotates: what key 1 encrypted still decrypts once key 2 is current and key 1 only listed', async () => {
    const [k1, k2] = [key('2025-07'), key('2026-01')];
    const before = await new EncryptionCodec([k1]).encode(toPayloads({ nik: '3507014507850003' }));
    const rotated = new EncryptionCodec([k2, k1]);
    expect(fromPayloads(await rotated.decode(before))).toEqual([{ nik: '3507014507850003' }]);
    const after = await rotated.encode(toPayloads('new'));
    expect(text(after[0]!.metadata?.[KEY_ID_METADATA])).toBe('2026-01');
    // Key 1 dropped: new payloads still decrypt, old ones are refused naming their key.
    expect(fromPayloads(await new EncryptionCodec([k2]).decode(after))).toEqual(['new']);
    await expect(new EncryptionCodec([k2]).decode(before)).rejects.toThrow(/unknown key id "2025-07"/);
  });

  it('refuses a payload encrypted with an unknown key id, naming the id', async () => {
    const encoded = await new EncryptionCodec([key('old')]).encode(toPayloads('x'));
    const decoding = new EncryptionCodec([key('current')]).decode(encoded);
    await expect(decoding).rejects.toBeInstanceOf(PayloadDecryptionError);
    await expect(new EncryptionCodec([key('current')]).decode(encoded)).rejects.toThrow('unknown key id "old"');
  });

  it('passes through payloads that were never encrypted (histories recorded before encryption)', async () => {
    const plain = toPayloads({ nik: '3507014507850003' }, 'text', null);
    const decoded = await new EncryptionCodec([key('k')]).decode(plain);
    expect(decoded).toEqual(plain);
  });

  it('refuses altered ciphertext, a changed key id pointing at another key, and a truncated payload', async () => {
    const [k1, k2] = [key('k1'), key('k2')];
    const codec = new EncryptionCodec([k1, k2]);
    const [encoded] = await codec.encode(toPayloads({ nik: '3507014507850003' }));
    const data = Buffer.from(encoded!.data!);
    for (const i of [0, 12, data.length - 20, data.length - 1]) {
      const tampered = Buffer.from(data);
      tampered[i]! ^= 0x01;
      await expect(codec.decode([{ ...encoded!, data: tampered }])).rejects.toThrow(/failed authentication with key id "k1"/);
    }
    const otherKey = { ...encoded!, metadata: { ...encoded!.metadata, [KEY_ID_METADATA]: Buffer.from('k2') } };
    await expect(codec.decode([otherKey])).rejects.toThrow(/failed authentication with key id "k2"/);
    await expect(codec.decode([{ ...encoded!, data: data.subarray(0, 20) }])).rejects.toThrow(/too short/);
    const noKeyId = { ...encoded!, metadata: { encoding: encoded!.metadata!.encoding! } };
    await expect(codec.decode([noKeyId])).rejects.toThrow(KEY_ID_METADATA);
  });

  it('refuses a ring that is empty, lists an id twice, or holds a key that is not 32 bytes', () => {
    expect(() => new EncryptionCodec([])).toThrow(/empty/);
    expect(() => new EncryptionCodec([key('a'), key('a')])).toThrow(/"a" is listed twice/);
    expect(() => new EncryptionCodec([{ id: 'short', key: randomBytes(16) }])).toThrow(/"short" must be 32 bytes/);
  });

  it('costs little per payload (printed)', async () => {
    const codec = new EncryptionCodec([key('k')]);
    const payloads = toPayloads(...Array.from({ length: 2_000 }, () => ({ household: makeHousehold(), state: { steps: Array.from({ length: 8 }, (_, i) => ({ key: `step-${i}`, status: 'done' })) } })));
    const started = performance.now();
    await codec.decode(await codec.encode(payloads));
    const perPayloadUs = ((performance.now() - started) * 1000) / payloads.length;
    console.log(`encode + decode: ${perPayloadUs.toFixed(1)} µs per payload of ~${payloads[0]!.data!.length} bytes`);
    expect(perPayloadUs).toBeLessThan(2_000);
  });
});

describe('payload keys from the environment', () => {
  const b64 = (fill: number) => Buffer.alloc(32, fill).toString('base64');

  it('reads a ring from SINERGI_PAYLOAD_KEYS or a file, the current key first', async () => {
    expect(payloadKeyRing(loadConfig({ SINERGI_PAYLOAD_KEYS: `new:${b64(1)}, old:${b64(2)}` })).map((k) => k.id)).toEqual(['new', 'old']);
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const file = `${await mkdtemp('/tmp/sinergi-keys-')}/keys`;
    await writeFile(file, `# rotated 2026-01\nnew:${b64(1)}\nold:${b64(2)}\n`);
    expect(payloadKeyRing(loadConfig({ SINERGI_PAYLOAD_KEYS_FILE: file })).map((k) => k.id)).toEqual(['new', 'old']);
  });

  it('names the variable and the entry, never the key, when an entry is wrong', () => {
    const attempt = () => loadConfig({ SINERGI_PAYLOAD_KEYS: `good:${b64(1)},short:${b64(1).slice(0, 20)},nocolon,good:${b64(3)}` });
    expect(attempt).toThrow(/SINERGI_PAYLOAD_KEYS: "short": the key must be 32 bytes/);
    expect(attempt).toThrow(/SINERGI_PAYLOAD_KEYS: "nocolon": expected id:base64key/);
    expect(attempt).toThrow(/SINERGI_PAYLOAD_KEYS: "good" is listed twice/);
    expect(attempt).not.toThrow(b64(1).slice(0, 20));
    expect(() => loadConfig({ SINERGI_PAYLOAD_KEYS: `a:${b64(1)}`, SINERGI_PAYLOAD_KEYS_FILE: '/x' })).toThrow(/not both/);
    expect(() => loadConfig({ SINERGI_PAYLOAD_KEYS_FILE: '/nonexistent/keys' })).toThrow(/SINERGI_PAYLOAD_KEYS_FILE: cannot read/);
  });

  it('uses the development key outside production, and refuses it, or no key, in production', () => {
    expect(payloadKeyRing(loadConfig({}))).toEqual([developmentPayloadKey]);
    expect(() => payloadKeyRing(loadConfig({ NODE_ENV: 'production' }))).toThrow(/Refusing to start in production.*no payload encryption key/);
    const dev = `${developmentPayloadKey.id}:${Buffer.from(developmentPayloadKey.key).toString('base64')}`;
    expect(() => payloadKeyRing(loadConfig({ NODE_ENV: 'production', SINERGI_PAYLOAD_KEYS: `mine:${b64(7)},${dev}` }))).toThrow(/development payload key/);
    expect(() => payloadKeyRing(loadConfig({ NODE_ENV: 'production', SINERGI_PAYLOAD_KEYS: `renamed:${Buffer.from(developmentPayloadKey.key).toString('base64')}` }))).toThrow(/development payload key/);
    expect(payloadKeyRing(loadConfig({ NODE_ENV: 'production', SINERGI_PAYLOAD_KEYS: `mine:${b64(7)}` })).map((k) => k.id)).toEqual(['mine']);
  });

  it("allows the Temporal UI's origin, TEMPORAL_UI_URL's by default", () => {
    expect(loadConfig({}).temporal.uiOrigins).toEqual(['http://127.0.0.1:8233']);
    expect(loadConfig({ TEMPORAL_UI_URL: 'https://temporal.example.go.id/ui' }).temporal.uiOrigins).toEqual(['https://temporal.example.go.id']);
    expect(loadConfig({ SINERGI_TEMPORAL_UI_ORIGIN: 'http://localhost:8233,https://ui.example' }).temporal.uiOrigins).toEqual(['http://localhost:8233', 'https://ui.example']);
    expect(() => loadConfig({ SINERGI_TEMPORAL_UI_ORIGIN: 'http://localhost:8233/' })).toThrow(/SINERGI_TEMPORAL_UI_ORIGIN/);
  });
});
