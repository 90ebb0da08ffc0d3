import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { z } from 'zod';
import { ErrorBodySchema } from '../api/error-body';

export interface ApiClientOptions {
  apiUrl: string;
  apiKey: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    const error = ErrorBodySchema.safeParse(body).data?.error;
    const fields = error?.fields?.map((f) => `\n  ${f.field}: ${f.message}`).join('') ?? '';
    super(`${status}: ${error?.message ?? JSON.stringify(body)}${fields}`);
  }
}

/** Sinergi's HTTP API as the command line uses it. */
export function apiClient({ apiUrl, apiKey }: ApiClientOptions) {
  const base = apiUrl.replace(/\/+$/, '');
  /** With a schema, the answer is parsed by the schema the API documents it with. */
  async function call<T>(method: string, path: string, body?: unknown, schema?: z.ZodType<T>): Promise<T> {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const parsed: unknown = text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
    if (!res.ok) throw new ApiError(res.status, parsed);
    return schema ? schema.parse(parsed) : (parsed as T);
  }
  return {
    call,
    /** Streams a file to the API without reading it whole. */
    async upload<T>(path: string, file: string, contentType: string, schema?: z.ZodType<T>): Promise<T> {
      const res = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': contentType },
        body: Readable.toWeb(createReadStream(file)) as ReadableStream,
        duplex: 'half',
      } as RequestInit);
      const parsed: unknown = await res.json().catch(() => undefined);
      if (!res.ok) throw new ApiError(res.status, parsed);
      return schema ? schema.parse(parsed) : (parsed as T);
    },
    async download(path: string): Promise<Response> {
      const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${apiKey}` } });
      if (!res.ok) throw new ApiError(res.status, await res.json().catch(() => undefined));
      return res;
    },
  };
}
export type ApiClient = ReturnType<typeof apiClient>;
