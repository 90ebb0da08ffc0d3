import type { Client } from '@temporalio/client';
import { durationToMs } from '../../domain/duration';
import type { NotReceivedWithin } from '../../domain/program-plan';
import type { Receipt } from '../../domain/screening';
import * as sa from '../../domain/search-attributes';
import type { HouseholdKeyOf } from '../../lib/household-pseudonym';
import { householdIdValues, quotedLists } from './household-ids';
import { executionPages, runSummaryOf } from './run-page';

/**
 * Ended runs of these households that gave them one of the rule's kinds within its period, by
 * household (KK): one visibility query per few hundred households. A run writes `received:<kind>` to
 * its Welfare facts when it ends, so a run still going is found by the active-run checks instead.
 */
export async function recentReceiptsOf(
  client: Client,
  namespace: string,
  householdIds: readonly string[],
  householdKeyOf: HouseholdKeyOf,
  rule: NotReceivedWithin,
  now = new Date(),
): Promise<Map<string, Receipt[]>> {
  const byHousehold = new Map<string, Receipt[]>();
  const kkOf = householdIdValues(householdIds, householdKeyOf);
  // Each kind is one of a closed set, so quoting them is safe.
  const kinds = rule.kinds.map((k) => `'received:${k}'`).join(', ');
  const since = new Date(now.getTime() - durationToMs(rule.period)).toISOString();
  for (const list of quotedLists(kkOf.keys())) {
    const query = `WorkflowType = 'householdRun' AND ExecutionStatus != 'Running' AND CloseTime > '${since}' AND ${sa.Welfare.name} IN (${kinds}) AND ${sa.HouseholdId.name} IN (${list})`;
    for await (const page of executionPages(client, namespace, query)) {
      for (const execution of page) {
        const run = runSummaryOf(execution);
        const kk = run.householdKey && kkOf.get(run.householdKey);
        if (!kk) continue;
        const closedAt = execution.closeTime?.seconds ? new Date(Number(execution.closeTime.seconds) * 1000).toISOString() : now.toISOString();
        const receipts = byHousehold.get(kk) ?? [];
        const received = run.welfare.filter((w) => w.startsWith('received:')).map((w) => w.slice('received:'.length));
        receipts.push({ runId: run.runId, rolloutId: run.rolloutId, programId: run.programId, kinds: received, closedAt });
        byHousehold.set(kk, receipts);
      }
    }
  }
  return byHousehold;
}
