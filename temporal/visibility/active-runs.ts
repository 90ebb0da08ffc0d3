import type { Client } from '@temporalio/client';
import type { HouseholdKeyOf } from '../../lib/household-pseudonym';
import { notReceivedWithinOf, type ProgramPlan } from '../../domain/program-plan';
import type { ActiveRun, Receipt } from '../../domain/screening';
import * as sa from '../../domain/search-attributes';
import { householdIdValues, quotedLists } from './household-ids';
import { recentReceiptsOf } from './recent-receipts';
import { visibilityPages } from './run-page';

/**
 * What screening reads of these households (by KK, found in visibility by their pseudonyms): their
 * running runs and, under the plan's rule, what ended runs gave them lately.
 */
export async function screeningFactsOf(client: Client, namespace: string, plan: ProgramPlan, householdIds: readonly string[], householdKeyOf: HouseholdKeyOf) {
  const rule = notReceivedWithinOf(plan);
  const [active, receipts] = await Promise.all([
    activeRunsOf(client, namespace, householdIds, householdKeyOf),
    rule ? recentReceiptsOf(client, namespace, householdIds, householdKeyOf, rule) : new Map<string, Receipt[]>(),
  ]);
  return { active, receipts };
}

/** Running runs of these households, by household (KK): one visibility query per few hundred households. */
export async function activeRunsOf(client: Client, namespace: string, householdIds: readonly string[], householdKeyOf: HouseholdKeyOf): Promise<Map<string, ActiveRun[]>> {
  const byHousehold = new Map<string, ActiveRun[]>();
  const kkOf = householdIdValues(householdIds, householdKeyOf);
  for (const list of quotedLists(kkOf.keys())) {
    const query = `WorkflowType = 'householdRun' AND ExecutionStatus = 'Running' AND ${sa.HouseholdId.name} IN (${list})`;
    for await (const page of visibilityPages(client, namespace, query)) {
      for (const run of page) {
        const kk = run.householdKey && kkOf.get(run.householdKey);
        if (!kk) continue;
        const runs = byHousehold.get(kk) ?? [];
        runs.push({ runId: run.runId, rolloutId: run.rolloutId, programId: run.programId, stepKinds: run.stepKinds });
        byHousehold.set(kk, runs);
      }
    }
  }
  return byHousehold;
}
