import { WithStartWorkflowOperation, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { CatalogEntry } from '../../domain/catalog';
import type { ProgramPlan } from '../../domain/program-plan';
import { shippedPlans } from '../../domain/plans';
import { programCatalog } from '../../workflows/program-catalog';
import { catalogQuery, programCatalogWorkflowId, publishPlanUpdate } from '../../workflows/program-catalog-messages';
import type { ApiDeps } from '../api-deps';
import { AppError } from '../app-error';
import { rethrowTemporalError } from '../temporal-errors';

const shippedEntries: CatalogEntry[] = [...shippedPlans.values()].map((plan) => ({ plan, publishedBy: 'sinergi', publishedAt: '2026-11-01T00:00:00.000Z' }));

/** Shipped plans, then what was published through the API (none until the first publication). */
export async function readCatalog(deps: Pick<ApiDeps, 'client' | 'taskQueue'>): Promise<CatalogEntry[]> {
  try {
    return [...shippedEntries, ...(await deps.client.workflow.getHandle(programCatalogWorkflowId(deps.taskQueue)).query(catalogQuery))];
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return shippedEntries;
    rethrowTemporalError(err);
  }
}

/** One program's versions in the catalog, oldest first (the last is the latest). */
export function versionsOf(catalog: readonly CatalogEntry[], programId: string): CatalogEntry[] {
  return catalog.filter((e) => e.plan.programId === programId);
}

/** Stores a new version durably in the catalog workflow, starting it on first use. */
export async function publishPlan(deps: Pick<ApiDeps, 'client' | 'taskQueue'>, plan: ProgramPlan, actor: string): Promise<CatalogEntry> {
  try {
    return await deps.client.workflow.executeUpdateWithStart(publishPlanUpdate, {
      args: [{ plan, actor, at: new Date().toISOString(), shippedVersion: shippedPlans.get(plan.programId)?.version ?? 0 }],
      startWorkflowOperation: new WithStartWorkflowOperation(programCatalog, {
        workflowId: programCatalogWorkflowId(deps.taskQueue),
        taskQueue: deps.taskQueue,
        args: [[]],
        workflowIdConflictPolicy: 'USE_EXISTING',
      }),
    });
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) throw new AppError('conflict', err.cause.message);
    rethrowTemporalError(err);
  }
}
