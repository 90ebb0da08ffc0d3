import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { decodeOptionalSinglePayload } from '@temporalio/common/lib/internal-non-workflow';
import { z } from 'zod';
import type { BulkOperationResult } from '../../domain/bulk-operation';
import { RegionPrefixSchema } from '../../domain/household';
import { BulkOperationIdSchema, StepKeySchema } from '../../domain/ids';
import { BulkOperationNameSchema } from '../../domain/operation-name';
import { inScope, narrowScope, regionsOfScope, type RegionScope } from '../../domain/region-scope';
import { operationFields, type StepOperation } from '../../domain/step-operation';
import { RunFilterSchema, visibilityQuery } from '../../temporal/visibility/run-filter';
import { bulkOperation } from '../../workflows/bulk-operation';
import type { ApiDeps } from '../api-deps';
import { AppError } from '../app-error';
import { rethrowTemporalError } from '../temporal-errors';

/** Which running runs a bulk operation touches. */
export const BulkFilterSchema = RunFilterSchema.omit({ status: true });
/** An operation on a step applies to the runs whose open step it is: the filter names it. */
const StepFilterSchema = BulkFilterSchema.extend({ step: StepKeySchema });

/**
 * One operation for every running run a filter matches, e.g. extend every stuck training step in
 * 35.09 by P14D: by `op`, the fields that operation needs, as the API document says.
 */
export const BulkOperationRequestSchema = z.discriminatedUnion(
  'op',
  [
    z.object({ op: z.literal('retry'), filter: StepFilterSchema, ...operationFields.retry }),
    z.object({ op: z.literal('skip'), filter: StepFilterSchema, ...operationFields.skip }),
    z.object({ op: z.literal('extend'), filter: StepFilterSchema, ...operationFields.extend }),
    z.object({ op: z.literal('reassign'), filter: StepFilterSchema, ...operationFields.reassign }),
    z.object({ op: z.literal('cancel'), filter: BulkFilterSchema, ...operationFields.cancel }),
  ],
  { error: `must be one of: ${BulkOperationNameSchema.options.join(', ')}` },
);
export type BulkOperationRequest = z.infer<typeof BulkOperationRequestSchema>;

function operationOf(request: BulkOperationRequest): StepOperation {
  if (request.op === 'cancel') return { op: 'cancel', reason: request.reason };
  const { filter, ...operation } = request;
  return { ...operation, stepKey: filter.step };
}

/**
 * The runs a bulk operation touches: those the filter matches that are still running, in the
 * caller's regions. The query is fixed in the operation's input, so however long it runs it
 * never touches another region.
 */
const bulkQuery = (deps: ApiDeps, request: BulkOperationRequest, scope: RegionScope) => visibilityQuery({ ...request.filter, status: 'running' }, scope, deps.householdKeyOf);

/** How many runs the operation would touch now, counted by visibility; starts nothing. */
export async function previewBulkOperation(deps: ApiDeps, request: BulkOperationRequest, scope: RegionScope) {
  try {
    const { count } = await deps.client.workflow.count(bulkQuery(deps, request, scope));
    // Said to a caller limited to regions only: a national one's count is the filter's as given.
    const regions = scope === 'national' ? undefined : regionsOfScope(narrowScope(scope, request.filter.region));
    return { matched: count, filter: request.filter, ...(regions && { regions }) };
  } catch (err) {
    rethrowTemporalError(err);
  }
}

/** The memo of a bulk operation: the regions it may touch (absent: all), so only those who see them all see it. */
const BulkMemoSchema = z.object({ regions: z.array(RegionPrefixSchema).optional() });

export async function startBulkOperation(deps: ApiDeps, request: BulkOperationRequest, actor: string, scope: RegionScope, idempotencyKey?: string) {
  const operationId = BulkOperationIdSchema.parse(`bulk:${idempotencyKey ?? randomUUID()}`);
  const query = bulkQuery(deps, request, scope);
  const regions = regionsOfScope(narrowScope(scope, request.filter.region));
  try {
    await deps.client.workflow.start(bulkOperation, {
      taskQueue: deps.taskQueue,
      workflowId: operationId,
      args: [{ operationId, query, operation: operationOf(request), actor }],
      ...(regions && { memo: { regions } satisfies z.infer<typeof BulkMemoSchema> }),
    });
  } catch (err) {
    // The same Idempotency-Key again: the operation already under way (or done) is the answer.
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) rethrowTemporalError(err);
  }
  return { operationId, query };
}

/**
 * Where a bulk operation stands: its progress (the activity's heartbeat) or its result. One that
 * may touch runs outside the caller's regions is not found, as one that does not exist.
 */
export async function bulkOperationStatus(deps: ApiDeps, operationId: string, scope: RegionScope) {
  const handle = deps.client.workflow.getHandle(operationId);
  const notFound = () => new AppError('not_found', `no bulk operation ${operationId}`);
  try {
    const description = await handle.describe();
    const regions = BulkMemoSchema.catch({}).parse(description.memo ?? {}).regions;
    if (scope !== 'national' && !(regions && regions.every((region) => inScope(scope, region)))) throw notFound();
    const status = description.status.name;
    if (status === 'COMPLETED') return { operationId, status, result: (await handle.result()) as BulkOperationResult };
    const heartbeat = description.raw.pendingActivities?.[0]?.heartbeatDetails?.payloads?.[0];
    // Heartbeats are encrypted like every payload: decoded with the client's own converter.
    const progress = (await decodeOptionalSinglePayload<BulkOperationResult>(deps.client.options.loadedDataConverter, heartbeat)) ?? undefined;
    return { operationId, status, progress };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw notFound();
    rethrowTemporalError(err);
  }
}
