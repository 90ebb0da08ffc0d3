import express, { Router, type Response } from 'express';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { z } from 'zod';
import { PayloadDecryptionError } from '../../temporal/payload-codec';
import type { ApiDeps } from '../api-deps';
import type { ApiRoutes, ResponseSpec } from '../api-routes';
import { AppError } from '../app-error';
import { recordPersonalDataAccess } from '../audit/personal-data-audit';
import { principalOf } from '../auth/authenticate';
import { personalDataRoles, scopeOf } from '../auth/principal';
import { parseRequest } from '../parse';

export const CODEC_PATHS = ['/v1/codec/encode', '/v1/codec/decode'] as const;

// Protobuf JSON writes bytes as base64 (standard or URL-safe, padding optional). No length of
// its own: the body limit (4 MB, a 413) bounds it, as Temporal's 2 MB per payload does upstream.
const Base64Schema = z.string().regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'must be base64');
const PayloadJsonSchema = z
  .object({
    metadata: z.record(z.string().max(256), Base64Schema).optional().meta({ description: 'metadata values, base64 (`encoding`, `encryption-key-id`...)' }),
    data: Base64Schema.optional().meta({ description: 'the payload bytes, base64' }),
  })
  .meta({ id: 'CodecPayload' });
const PayloadsSchema = z.object({ payloads: z.array(PayloadJsonSchema).max(1_000) }).meta({ id: 'CodecPayloads' });
const CodecHeadersSchema = z.object({
  'x-namespace': z.string().max(255).optional().meta({ description: 'the namespace the payloads come from (the Temporal UI and CLI send it)' }),
  'x-workflow-id': z.string().max(1_000).optional().meta({ description: 'the workflow the payloads come from, when the caller knows it; kept in the audit log' }),
});
type PayloadJson = z.infer<typeof PayloadJsonSchema>;

const codecHeaders = 'Authorization, Content-Type, X-Namespace, X-Workflow-Id';
const decodeRefusals: Record<number, ResponseSpec> = {
  // Payloads name no region the API could check, and the Temporal UI shows every region's runs.
  403: { description: 'a role that may not do this, or a principal limited to regions (the console is theirs; the codec decrypts any region\'s payloads)' },
  422: { description: 'a payload encrypted with a key id the key ring does not list, or altered; fields names it' },
};

/**
 * Temporal's codec server protocol over the API's own payload codec (the one its client writes
 * with), so the Temporal UI and `temporal workflow show --codec-endpoint` can read encrypted
 * histories. `cors` goes before everything else (a browser's preflight carries no credentials);
 * `codec` after authentication. Every decode is audited (the personal-data audit, readable at
 * GET /v1/audit/personal-data, and a log line): who, which namespace and workflow, how many
 * payloads, never their contents.
 */
export function codecRouter(deps: ApiDeps, routes: ApiRoutes): { cors: Router; codec: Router } {
  const codecs = deps.client.options.loadedDataConverter.payloadCodecs;
  const origins = new Set(deps.temporalUiOrigins ?? []);
  const cors = Router();
  cors.use([...CODEC_PATHS], (req, res, next) => {
    res.vary('Origin');
    const origin = req.get('origin');
    if (!origin || !origins.has(origin)) return next();
    res.set({ 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Credentials': 'true' });
    if (req.method !== 'OPTIONS') return next();
    res.set({ 'Access-Control-Allow-Methods': 'POST', 'Access-Control-Allow-Headers': codecHeaders, 'Access-Control-Max-Age': '600' }).status(204).end();
  });

  const codec = Router();
  // Payloads up to Temporal's own limit per payload (2 MB) and their base64 growth.
  codec.use([...CODEC_PATHS], express.json({ limit: '4mb' }));
  for (const action of ['encode', 'decode'] as const) {
    routes.add(
      codec,
      'post',
      `/v1/codec/${action}`,
      {
        summary:
          action === 'decode'
            ? "Temporal codec server: decrypt a history's payloads for the Temporal UI or CLI (audited)"
            : 'Temporal codec server: encrypt payloads as the workers would (e.g. a signal sent from the Temporal UI)',
        // Reading payloads shows households' identities: staff with the right to personal data only.
        roles: personalDataRoles,
        headers: CodecHeadersSchema,
        body: { 'application/json': PayloadsSchema },
        temporal: false,
        responses: {
          200: { description: action === 'decode' ? 'the payloads decrypted; ones that were not encrypted as they came' : 'the payloads encrypted with the current key', schema: PayloadsSchema },
          ...(action === 'decode' ? decodeRefusals : {}),
        },
      },
      async (_input, req, res) => {
        if (action === 'decode' && scopeOf(principalOf(res)) !== 'national') throw new AppError('forbidden', 'a principal limited to regions may not decode payloads: they may be of any region');
        const { payloads } = parseRequest(PayloadsSchema, req.body, 'body');
        const headers = parseRequest(CodecHeadersSchema, { 'x-namespace': req.get('x-namespace'), 'x-workflow-id': req.get('x-workflow-id') }, 'headers');
        const answered = action === 'decode' ? await decodeEach(codecs, payloads.map(fromJson)) : await encodeAll(codecs, payloads.map(fromJson));
        if (action === 'decode') await audit(deps, res, headers, payloads.length);
        res.set('Cache-Control', 'no-store').json({ payloads: answered.map(toJson) });
      },
    );
  }
  return { cors, codec };
}

/** Recorded before the decrypted payloads go out, in the same audit as unmasked reports. */
async function audit(deps: ApiDeps, res: Response, headers: z.infer<typeof CodecHeadersSchema>, count: number): Promise<void> {
  const principal = principalOf(res);
  await recordPersonalDataAccess(deps, {
    action: 'payloads-decoded',
    at: new Date().toISOString(),
    principal: principal.id,
    role: principal.role,
    namespace: headers['x-namespace'] ?? deps.namespace,
    ...(headers['x-workflow-id'] !== undefined && { workflowId: headers['x-workflow-id'] }),
    payloads: count,
  });
}

async function encodeAll(codecs: readonly PayloadCodec[], payloads: Payload[]): Promise<Payload[]> {
  for (const codec of codecs) payloads = await codec.encode(payloads);
  return payloads;
}

/** One at a time, so a payload that cannot be decrypted is named by its index. */
async function decodeEach(codecs: readonly PayloadCodec[], payloads: Payload[]): Promise<Payload[]> {
  return Promise.all(
    payloads.map(async (payload, i) => {
      let decoded = [payload];
      try {
        for (const codec of [...codecs].reverse()) decoded = await codec.decode(decoded);
      } catch (err) {
        if (!(err instanceof PayloadDecryptionError)) throw err;
        throw new AppError('unprocessable', `payloads.${i}: ${err.message}`, { fields: [{ field: `body.payloads.${i}`, message: err.message }], cause: err });
      }
      return decoded[0]!;
    }),
  );
}

const fromJson = (p: PayloadJson): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(p.data ?? '', 'base64'),
});

const base64 = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('base64');
const toJson = (p: Payload): PayloadJson => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, base64(v)])),
  data: base64(p.data),
});
