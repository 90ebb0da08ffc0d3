import { WithStartWorkflowOperation, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { CatalogEntry } from '../../domain/catalog';
import type { ProgramPlan } from '../../domain/program-plan';
import { shippedPlans, shippedVersionOf } from '../../domain/plans';
import { programCatalog } from '../../workflows/program-catalog';
import { catalogQuery, programCatalogWorkflowId, publishPlanUpdate } from '../../workflows/program-catalog-messages';
import type { ApiDeps } from '../api-deps';
import { AppError } from '../app-error';
import { rethrowTemporalError } from '../temporal-errors';

const shippedEntries: CatalogEntry[] = shippedPlans.map((plan) => ({ plan, publishedBy: 'sinergi', publishedAt: '2026-11-01T00:00:00.000Z' }));

/**
 * Shipped plans, then what was published through the API (none until the first publication).
 * A version published here before Sinergi shipped one with the same number stays what it was:
 * rollouts pinned it, so it hides the shipped one.
 */
export async function readCatalog(deps: Pick<ApiDeps, 'client' | 'taskQueue'>): Promise<CatalogEntry[]> {
  try {
    const published = await deps.client.workflow.getHandle(programCatalogWorkflowId(deps.taskQueue)).query(catalogQuery);
    const hidden = (e: CatalogEntry) => published.some((p) => p.plan.programId === e.plan.programId && p.plan.version === e.plan.version);
    return [...shippedEntries.filter((e) => !hidden(e)), ...published];
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return shippedEntries;
    rethrowTemporalError(err);
  }
}

/** One program's versions in the catalog, oldest first (the last is the latest). */
export function versionsOf(catalog: readonly CatalogEntry[], programId: string): CatalogEntry[] {
  return catalog.filter((e) => e.plan.programId === programId).sort((a, b) => a.plan.version - b.plan.version);
}

/** Stores a new version durably in the catalog workflow, starting it on first use. */
export async function publishPlan(deps: Pick<ApiDeps, 'client' | 'taskQueue'>, plan: ProgramPlan, actor: string): Promise<CatalogEntry> {
  try {
    return await deps.client.workflow.executeUpdateWithStart(publishPlanUpdate, {
      args: [{ plan, actor, at: new Date().toISOString(), shippedVersion: shippedVersionOf(plan.programId) }],
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
