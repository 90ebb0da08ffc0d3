import type { Client } from '@temporalio/client';
import { FamilyCardNumberSchema } from '../../domain/household';
import { notReceivedWithinOf, type ProgramPlan } from '../../domain/program-plan';
import type { ActiveRun, Receipt } from '../../domain/screening';
import * as sa from '../../domain/search-attributes';
import { recentReceiptsOf } from './recent-receipts';
import { visibilityPages } from './run-page';

/** What screening reads of these households (by KK): their running runs and, under the plan's rule, what ended runs gave them lately. */
export async function screeningFactsOf(client: Client, namespace: string, plan: ProgramPlan, householdIds: readonly string[]) {
  const rule = notReceivedWithinOf(plan);
  const [active, receipts] = await Promise.all([
    activeRunsOf(client, namespace, householdIds),
    rule ? recentReceiptsOf(client, namespace, householdIds, rule) : new Map<string, Receipt[]>(),
  ]);
  return { active, receipts };
}

/** Running runs of these households, by household: one visibility query per few hundred households. */
export async function activeRunsOf(client: Client, namespace: string, householdIds: readonly string[]): Promise<Map<string, ActiveRun[]>> {
  const byHousehold = new Map<string, ActiveRun[]>();
  // Each id is a checked 16-digit KK, so quoting it into the query is safe.
  const ids = householdIds.map((id) => FamilyCardNumberSchema.parse(id));
  for (let i = 0; i < ids.length; i += 400) {
    const list = ids.slice(i, i + 400).map((id) => `'${id}'`).join(', ');
    const query = `WorkflowType = 'householdRun' AND ExecutionStatus = 'Running' AND ${sa.HouseholdId.name} IN (${list})`;
    for await (const page of visibilityPages(client, namespace, query)) {
      for (const run of page) {
        if (!run.householdId) continue;
        const runs = byHousehold.get(run.householdId) ?? [];
        runs.push({ runId: run.runId, rolloutId: run.rolloutId, programId: run.programId, stepKinds: run.stepKinds });
        byHousehold.set(run.householdId, runs);
      }
    }
  }
  return byHousehold;
}
