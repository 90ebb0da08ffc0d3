import { ApplicationFailure } from '@temporalio/common';
import type { z } from 'zod';
import type { Agency } from '../../domain/agency';
import { FailureType } from '../../domain/failure-types';
import { signedHeaders } from '../../signing/standard-webhooks';

export interface AgencyCall<S extends z.ZodType> {
  agency: Agency;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  /** Signs the request (Standard Webhooks headers) so the agency can verify it is ours; id = task id. */
  signWith: { secret: string; id: string };
  signal: AbortSignal;
  /** The agency's answer for an accepted (or already accepted) task. */
  accepted: S;
  /** Statuses besides 2xx that mean "accepted before" (pemda answers 409 with the existing task). */
  alsoAccepted?: number[];
  /** Reads the agency's reason out of its 422 refusal. */
  refusalReason: (body: unknown) => string | undefined;
  fetchImpl?: typeof fetch;
}

const retryableStatuses = new Set([401, 403, 408, 425, 429]);

/**
 * One HTTP call to an agency, with its answer sorted for Temporal: a refusal (422) is final
 * and goes to the plan's rejection rule; a malformed-request 4xx is final; an outage, a 5xx,
 * throttling or refused credentials are retried with backoff (credentials can be fixed).
 * Messages carry statuses and agency codes only, never the household's identity.
 */
export async function callAgency<S extends z.ZodType>(call: AgencyCall<S>): Promise<z.infer<S>> {
  const body = JSON.stringify(call.body);
  let res: Response;
  try {
    res = await (call.fetchImpl ?? fetch)(call.url, {
      method: call.method,
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        ...call.headers,
        ...signedHeaders(call.signWith.secret, call.signWith.id, body),
      },
      body,
      signal: call.signal,
    });
  } catch (err) {
    if (call.signal.aborted) throw err;
    throw ApplicationFailure.retryable(`${call.agency} unreachable: ${(err as Error).cause ?? (err as Error).message}`, FailureType.AgencyUnavailable);
  }
  const answer: unknown = await res.json().catch(() => undefined);
  if (res.ok || call.alsoAccepted?.includes(res.status)) {
    const parsed = call.accepted.safeParse(answer);
    if (parsed.success) return parsed.data;
    throw ApplicationFailure.retryable(`${call.agency} answered ${res.status} with an unexpected body`, FailureType.AgencyUnavailable);
  }
  if (res.status === 422) {
    throw ApplicationFailure.nonRetryable(call.refusalReason(answer) ?? `${call.agency} refused the task`, FailureType.AgencyRejected);
  }
  if (res.status >= 500 || retryableStatuses.has(res.status)) {
    throw ApplicationFailure.retryable(`${call.agency} answered ${res.status}`, FailureType.AgencyUnavailable);
  }
  throw ApplicationFailure.nonRetryable(`${call.agency} refused the request as malformed (${res.status})`, FailureType.AgencyBadRequest);
}
