import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import createClient, { type Client, type ClientPathsWithMethod } from 'openapi-fetch';
import { ErrorBodySchema } from '../api/error-body';
// The console's client types, generated from the API's OpenAPI document (scripts/write-openapi-client.ts);
// a type-only import of a declaration file: nothing of console/ is compiled into or loaded by the CLI.
import type { paths } from '../console/src/api/schema';

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

/** openapi-fetch's answer as data, or the API's refusal thrown with each bad field named. */
export function dataOrThrow<T>({ data, error, response }: { data?: T; error?: unknown; response: Response }): T {
  if (!response.ok || data === undefined) throw new ApiError(response.status, error);
  return data;
}

type SinergiClient = Client<paths>;
type PostPath = ClientPathsWithMethod<SinergiClient, 'post'>;
type JsonBodyOf<P extends PostPath> = paths[P]['post'] extends { requestBody: { content: { 'application/json': infer B } } } ? B : never;
type CohortReport = paths['/v1/cohorts']['post']['responses'][201]['content']['application/json'];

/** Sinergi's HTTP API as the command line uses it: the console's generated client (openapi-fetch), with the caller's API key. */
export function apiClient({ apiUrl, apiKey }: ApiClientOptions) {
  const client: SinergiClient = createClient<paths>({ baseUrl: apiUrl.replace(/\/+$/, ''), headers: { authorization: `Bearer ${apiKey}` } });
  return {
    GET: client.GET,
    POST: client.POST,
    /** A JSON POST whose path and body are checked against the generated types, answered with its data. */
    async call<P extends PostPath>(method: 'POST', path: P, body: JsonBodyOf<P>): Promise<unknown> {
      // The generic path defeats openapi-fetch's per-path init type; the signature above checks the body instead.
      return dataOrThrow(await client.request('post', path, { body } as never));
    },
    /** Streams a cohort file to the API without reading it whole. */
    async upload<T = CohortReport>(path: '/v1/cohorts', file: string, contentType: 'text/csv' | 'application/json'): Promise<T> {
      const answer = await client.POST(path, {
        body: Readable.toWeb(createReadStream(file)) as unknown as string,
        bodySerializer: (body: unknown) => body,
        headers: { 'content-type': contentType },
        duplex: 'half',
      } as Parameters<SinergiClient['POST']>[1] & { duplex: 'half' });
      return dataOrThrow(answer) as T;
    },
    /** A rollout's CSV report as a stream. */
    async downloadReport(rolloutId: string): Promise<ReadableStream<Uint8Array>> {
      const answer = await client.GET('/v1/rollouts/{id}/report.csv', { params: { path: { id: rolloutId } }, parseAs: 'stream' });
      return dataOrThrow(answer as { data?: ReadableStream<Uint8Array> | null; error?: unknown; response: Response }) as ReadableStream<Uint8Array>;
    },
  };
}
export type ApiClient = ReturnType<typeof apiClient>;
