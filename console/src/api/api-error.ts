/** The API's error body (`{"error": {"code", "message", "fields"}}`). */
export interface ApiErrorBody {
  error: { code: string; message: string; fields?: { field: string; message: string }[] };
}

/** An API refusal, thrown so TanStack Query shows it; its fields let a form put each message beside its field. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody | undefined,
  ) {
    super(body?.error.message ?? `HTTP ${status}`);
  }

  /** The message for one field (`body.reason`, `body.extendBy`, ...), if the API named it. */
  fieldMessage(field: string): string | undefined {
    return this.body?.error.fields?.find((f) => f.field === field)?.message;
  }
}

/** openapi-fetch's answer as data, or the refusal thrown. */
export function dataOrThrow<T>({ data, error, response }: { data?: T; error?: unknown; response: Response }): T {
  if (data === undefined || error !== undefined) throw new ApiError(response.status, error as ApiErrorBody | undefined);
  return data;
}
