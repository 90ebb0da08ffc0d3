import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { BulkActivities } from '../../domain/activity-contracts';
import type { BulkOperationInput, BulkOperationResult } from '../../domain/bulk-operation';
import { visibilityPages } from '../../temporal/visibility/run-page';
import { operateUpdate } from '../../workflows/household-run-messages';
import { withChildSignal } from '../child-signal';
import { whileHeartbeating } from '../while-heartbeating';

// Each update waits for its run to record it; a few dozen in flight keep a busy worker fed.
const CONCURRENCY = 32;

export function createBulkActivities(deps: { client: Client; namespace: string }): BulkActivities {
  return {
    async applyBulkOperation(input: BulkOperationInput): Promise<BulkOperationResult> {
      const result: BulkOperationResult = { matched: 0, done: 0, applied: 0, refused: 0, refusals: [] };
      // Heartbeated all along, through the snapshot's visibility pages and the updates waiting on
      // busy runs, so only a dead worker's operation is retried (from the start: each update is
      // idempotent by its id).
      return whileHeartbeating(() => result, async () => {
        // A snapshot first: the operation changes the attributes the filter reads (Stuck, deadline).
        const runIds: string[] = [];
        for await (const runs of visibilityPages(deps.client, deps.namespace, input.query)) runIds.push(...runs.map((r) => r.runId));
        result.matched = runIds.length;
        const requestedAt = new Date().toISOString();
        const cancelled = Context.current().cancellationSignal;
        for (let i = 0; i < runIds.length; i += CONCURRENCY) {
          // A worker shutting down hands the operation on: the updates under way give up (each waits
          // on a run's workflow task, which a stopping worker may not run), the retry asks again.
          if (cancelled.aborted) throw cancelled.reason;
          await withChildSignal(cancelled, CONCURRENCY * 8, (signal) => deps.client.withAbortSignal(signal, () => Promise.all(
            runIds.slice(i, i + CONCURRENCY).map(async (runId) => {
              try {
                await deps.client.workflow.getHandle(runId).executeUpdate(operateUpdate, {
                  args: [{ ...input.operation, actor: input.actor, requestedAt }],
                  updateId: `${input.operationId}:${runId}`,
                });
                result.applied += 1;
              } catch (err) {
                if (!(err instanceof WorkflowUpdateFailedError) && !(err instanceof WorkflowNotFoundError)) throw err;
                result.refused += 1;
                if (result.refusals.length < 50) result.refusals.push({ runId, reason: err.cause instanceof Error ? err.cause.message : err.message });
              }
              result.done += 1;
            }),
          )));
          Context.current().heartbeat(result);
        }
        return result;
      });
    },
  };
}
