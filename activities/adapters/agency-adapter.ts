import { ApplicationFailure } from '@temporalio/common';
import { taskPath, type AgencyDefinition } from '../../agencies/agency-definition';
import type { AgencyEndpoint } from '../../config/config';
import { FailureType } from '../../domain/failure-types';
import type { OpenedTask, TaskRequest } from '../../domain/task-request';
import { callAgency, parseStepParameters, withdrawer } from './agency-http';

/**
 * One per agency, each speaking that agency's own API. Throws ApplicationFailure of type
 * AgencyRejected (the agency said no), AgencyBadRequest (it refused the request as malformed)
 * or AgencyUnavailable (retry later); see domain/failure-types.ts.
 */
export interface AgencyAdapter {
  readonly agency: string;
  openTask(request: TaskRequest, signal: AbortSignal): Promise<OpenedTask>;
  /** Withdraws a task opened before; nothing happens if the agency does not know it. */
  cancelTask(request: TaskRequest, reason: string, signal: AbortSignal): Promise<void>;
}

/** The adapter of any agency, speaking the API its definition describes. */
export function createAgencyAdapter(definition: AgencyDefinition, endpoint: AgencyEndpoint, fetchImpl: typeof fetch = fetch): AgencyAdapter {
  const { name } = definition;
  const authHeaders = definition.authHeaders(endpoint.credentials);
  return {
    agency: name,
    cancelTask: withdrawer(name, definition.cancel, endpoint, authHeaders, fetchImpl),
    async openTask(request, signal) {
      const step = definition.steps[request.kind];
      // Plans and reassignments are checked against the same definitions, so this is a bug, not a retry.
      if (!step) throw ApplicationFailure.nonRetryable(`${name} cannot do a ${request.kind} step`, FailureType.AgencyBadRequest);
      // Checked again here: a reassigned step reaches an agency its plan was not checked against.
      const parameters = parseStepParameters(name, step.parameters, request.parameters);
      const { idempotencyHeader } = step.request;
      const answer = await callAgency({
        agency: name,
        method: step.request.method,
        url: `${endpoint.url}${taskPath(step.request.path, request.taskId)}`,
        headers: { ...authHeaders, ...(idempotencyHeader && { [idempotencyHeader]: request.taskId }) },
        body: step.request.body(request, parameters),
        signWith: { secret: endpoint.requestSecret, id: request.taskId },
        signal,
        accepted: step.answer.accepted,
        alsoAccepted: step.answer.alsoAccepted,
        refusalReason: step.answer.refusalReason,
        household: request.household,
        fetchImpl,
      });
      return { agencyReference: step.answer.reference(answer) };
    },
  };
}
