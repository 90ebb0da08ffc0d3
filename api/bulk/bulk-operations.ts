import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { z } from 'zod';
import type { BulkOperationResult } from '../../domain/bulk-operation';
import { AgencySchema } from '../../domain/agency';
import { IsoDurationSchema } from '../../domain/duration';
import { BulkOperationIdSchema } from '../../domain/ids';
import { BulkOperationNameSchema } from '../../domain/operation-name';
import { ReasonSchema, type StepOperation } from '../../domain/step-operation';
import { RunFilterSchema, visibilityQuery } from '../../temporal/visibility/run-filter';
import { bulkOperation } from '../../workflows/bulk-operation';
import type { ApiDeps } from '../api-deps';
import { AppError } from '../app-error';
import { rethrowTemporalError } from '../temporal-errors';

/** One operation for every running run a filter matches, e.g. extend every stuck training step in 35.09 by P14D. */
export const BulkOperationRequestSchema = z
  .object({
    filter: RunFilterSchema.omit({ status: true }),
    op: BulkOperationNameSchema,
    reason: ReasonSchema,
    extendBy: IsoDurationSchema.optional(),
    agency: AgencySchema.optional(),
  })
  .superRefine((r, ctx) => {
    if (r.op !== 'cancel' && !r.filter.step) ctx.addIssue({ code: 'custom', path: ['filter', 'step'], message: `a bulk ${r.op} needs the step it applies to` });
    if (r.op === 'extend' && !r.extendBy) ctx.addIssue({ code: 'custom', path: ['extendBy'], message: 'required to extend' });
    if (r.op === 'reassign' && !r.agency) ctx.addIssue({ code: 'custom', path: ['agency'], message: 'required to reassign' });
  });
export type BulkOperationRequest = z.infer<typeof BulkOperationRequestSchema>;

function operationOf(r: BulkOperationRequest): StepOperation {
  const stepKey = r.filter.step ?? '';
  switch (r.op) {
    case 'cancel':
      return { op: 'cancel', reason: r.reason };
    case 'extend':
      return { op: 'extend', stepKey, reason: r.reason, extendBy: r.extendBy! };
    case 'reassign':
      return { op: 'reassign', stepKey, reason: r.reason, agency: r.agency! };
    default:
      return { op: r.op, stepKey, reason: r.reason };
  }
}

/** The runs a bulk operation touches: those the filter matches that are still running. */
const bulkQuery = (request: BulkOperationRequest) => visibilityQuery({ ...request.filter, status: 'running' });

/** How many runs the operation would touch now, counted by visibility; starts nothing. */
export async function previewBulkOperation(deps: ApiDeps, request: BulkOperationRequest) {
  try {
    const { count } = await deps.client.workflow.count(bulkQuery(request));
    return { matched: count, filter: request.filter };
  } catch (err) {
    rethrowTemporalError(err);
  }
}

export async function startBulkOperation(deps: ApiDeps, request: BulkOperationRequest, actor: string, idempotencyKey?: string) {
  const operationId = BulkOperationIdSchema.parse(`bulk:${idempotencyKey ?? randomUUID()}`);
  const query = bulkQuery(request);
  try {
    await deps.client.workflow.start(bulkOperation, {
      taskQueue: deps.taskQueue,
      workflowId: operationId,
      args: [{ operationId, query, operation: operationOf(request), actor }],
    });
  } catch (err) {
    // The same Idempotency-Key again: the operation already under way (or done) is the answer.
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) rethrowTemporalError(err);
  }
  return { operationId, query };
}

/** Where a bulk operation stands: its progress (the activity's heartbeat) or its result. */
export async function bulkOperationStatus(deps: ApiDeps, operationId: string) {
  const handle = deps.client.workflow.getHandle(operationId);
  try {
    const description = await handle.describe();
    const status = description.status.name;
    if (status === 'COMPLETED') return { operationId, status, result: (await handle.result()) as BulkOperationResult };
    const heartbeat = description.raw.pendingActivities?.[0]?.heartbeatDetails?.payloads?.[0];
    const progress = heartbeat ? defaultPayloadConverter.fromPayload<BulkOperationResult>(heartbeat) : undefined;
    return { operationId, status, progress };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new AppError('not_found', `no bulk operation ${operationId}`);
    rethrowTemporalError(err);
  }
}
