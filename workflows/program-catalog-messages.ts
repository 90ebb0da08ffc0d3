import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CatalogEntry } from '../domain/catalog';
import type { ProgramPlan } from '../domain/program-plan';

/** The catalog workflow's id: one per deployment (its task queue) in a namespace. */
export const programCatalogWorkflowId = (taskQueue: string) => `program-catalog:${taskQueue}`;

export interface PublishPlanRequest {
  plan: ProgramPlan;
  actor: string;
  at: string;
  /** The version of this program shipped with Sinergi (0 if none): published versions follow it. */
  shippedVersion: number;
}

/** Publishes a new version of a program (validated by the API first); answers with the stored entry. */
export const publishPlanUpdate = defineUpdate<CatalogEntry, [PublishPlanRequest]>('publishPlan');

/** Every published version, oldest first. */
export const catalogQuery = defineQuery<CatalogEntry[]>('catalog');
