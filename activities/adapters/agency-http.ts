import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { taskPath, type AgencyDefinition } from '../../agencies/agency-definition';
import { FailureType } from '../../domain/failure-types';
import type { Household } from '../../domain/household';
import { signedHeaders } from '../../lib/standard-webhooks';
import type { AgencyAdapter } from './agency-adapter';

export interface AgencyCall<S extends z.ZodType> {
  /** The agency's name, for messages. */
  agency: string;
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
  alsoAccepted?: readonly number[];
  /** Reads the agency's reason out of its 422 refusal. */
  refusalReason: (body: unknown) => string | undefined;
  /** Whose task this is: should the agency echo the NIK or name in its reason, they are cut out. */
  household: Pick<Household, 'headNik' | 'headName'>;
  fetchImpl: typeof fetch;
}

const anyAnswer = z.unknown();

/** Credentials can be fixed and throttling passes, so these are retried like an outage. */
const retryableStatuses = new Set([401, 403, 408, 425, 429]);

/**
 * One HTTP call to an agency, with its answer sorted for Temporal: a refusal (422) is final
 * and goes to the plan's rejection rule; a malformed-request 4xx is final; an outage, a 5xx,
 * throttling or refused credentials are retried with backoff.
 * Messages carry statuses and agency codes only, never the household's identity.
 */
export async function callAgency<S extends z.ZodType>(call: AgencyCall<S>): Promise<z.infer<S>> {
  const body = JSON.stringify(call.body);
  let res: Response;
  try {
    res = await call.fetchImpl(call.url, {
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
    // A cancelled activity must surface as the cancellation, not as an outage to retry.
    if (call.signal.aborted) throw err;
    throw ApplicationFailure.retryable(`${call.agency} unreachable: ${networkCause(err)}`, FailureType.AgencyUnavailable);
  }
  const answer: unknown = await res.json().catch(() => undefined);
  if (res.ok || call.alsoAccepted?.includes(res.status)) {
    const parsed = call.accepted.safeParse(answer);
    if (parsed.success) return parsed.data;
    // Possibly a proxy's page in front of the agency; the request is idempotent, so asking again is safe.
    throw ApplicationFailure.retryable(`${call.agency} answered ${res.status} with an unexpected body`, FailureType.AgencyUnavailable);
  }
  if (res.status === 422) {
    const reason = call.refusalReason(answer);
    throw ApplicationFailure.nonRetryable(reason ? withoutIdentity(reason, call.household) : `${call.agency} refused the task`, FailureType.AgencyRejected);
  }
  if (res.status >= 500 || retryableStatuses.has(res.status)) {
    throw ApplicationFailure.retryable(`${call.agency} answered ${res.status}`, FailureType.AgencyUnavailable);
  }
  throw ApplicationFailure.nonRetryable(`${call.agency} refused the request as malformed (${res.status})`, FailureType.AgencyBadRequest);
}

/**
 * Reads a plan step's parameters for one agency. A plan that lacks what the agency needs
 * cannot be helped by retrying, so it fails the task at once, naming the parameters.
 */
export function parseStepParameters<S extends z.ZodType>(agency: string, schema: S, parameters: unknown): z.infer<S> {
  const parsed = schema.safeParse(parameters);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(parameters)'}: ${i.message}`).join('; ');
  throw ApplicationFailure.nonRetryable(`the step's parameters do not suit ${agency}: ${problems}`, FailureType.AgencyBadRequest);
}

/** fetch says only "fetch failed"; the cause (ECONNREFUSED host:port, a TLS error) is what helps. */
function networkCause(err: unknown): string {
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  return cause instanceof Error ? cause.message : String(cause);
}

function withoutIdentity(text: string, household: AgencyCall<z.ZodType>['household']): string {
  return [household.headNik, household.headName].reduce((t, secret) => t.split(secret).join('[redacted]'), text);
}

/**
 * The cancelTask of an agency's adapter: withdraws a task Sinergi no longer wants (retried as
 * a new task, reassigned, skipped or the run cancelled). Unknown at the agency (404) means
 * there is nothing to withdraw.
 */
export function withdrawer(
  agency: string,
  cancel: AgencyDefinition['cancel'],
  endpoint: { url: string; requestSecret: string },
  headers: Record<string, string>,
  fetchImpl: typeof fetch,
): AgencyAdapter['cancelTask'] {
  return async (request, reason, signal) => {
    await callAgency({
      agency,
      method: cancel.method,
      url: `${endpoint.url}${taskPath(cancel.path, request.taskId)}`,
      headers,
      body: cancel.body(reason),
      signWith: { secret: endpoint.requestSecret, id: request.taskId },
      signal,
      accepted: anyAnswer,
      alsoAccepted: [404],
      refusalReason: () => undefined,
      household: request.household,
      fetchImpl,
    });
  };
}
