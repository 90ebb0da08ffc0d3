import { proxyActivities } from '@temporalio/workflow';
import type { BulkActivities } from '../domain/activity-contracts';
import type { BulkOperationInput, BulkOperationResult } from '../domain/bulk-operation';
import { activityOptions } from './activity-options';

const { applyBulkOperation } = proxyActivities<BulkActivities>(activityOptions.bulk);

/**
 * One manager's operation applied to every run a filter matched, durably: if the worker dies
 * the activity is retried and each run's update id (operation id + run id) keeps it from
 * acting twice on a run. Progress is the activity's heartbeat; the result is the summary.
 */
export async function bulkOperation(input: BulkOperationInput): Promise<BulkOperationResult> {
  return applyBulkOperation(input);
}
