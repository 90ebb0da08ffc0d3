import type { Client } from '@temporalio/client';
import { durationToMs } from '../../domain/duration';
import { FamilyCardNumberSchema } from '../../domain/household';
import type { NotReceivedWithin } from '../../domain/program-plan';
import type { Receipt } from '../../domain/screening';
import * as sa from '../../domain/search-attributes';
import { executionPages, runSummaryOf } from './run-page';

/**
 * Ended runs of these households that gave them one of the rule's kinds within its period, by
 * household: one visibility query per few hundred households. A run writes `received:<kind>` to
 * its Welfare facts when it ends, so a run still going is found by the active-run checks instead.
 */
export async function recentReceiptsOf(client: Client, namespace: string, householdIds: readonly string[], rule: NotReceivedWithin, now = new Date()): Promise<Map<string, Receipt[]>> {
  const byHousehold = new Map<string, Receipt[]>();
  // Each id is a checked 16-digit KK and each kind one of a closed set, so quoting them is safe.
  const ids = householdIds.map((id) => FamilyCardNumberSchema.parse(id));
  const kinds = rule.kinds.map((k) => `'received:${k}'`).join(', ');
  const since = new Date(now.getTime() - durationToMs(rule.period)).toISOString();
  for (let i = 0; i < ids.length; i += 400) {
    const list = ids.slice(i, i + 400).map((id) => `'${id}'`).join(', ');
    const query = `WorkflowType = 'householdRun' AND ExecutionStatus != 'Running' AND CloseTime > '${since}' AND ${sa.Welfare.name} IN (${kinds}) AND ${sa.HouseholdId.name} IN (${list})`;
    for await (const page of executionPages(client, namespace, query)) {
      for (const execution of page) {
        const run = runSummaryOf(execution);
        if (!run.householdId) continue;
        const closedAt = execution.closeTime?.seconds ? new Date(Number(execution.closeTime.seconds) * 1000).toISOString() : now.toISOString();
        const receipts = byHousehold.get(run.householdId) ?? [];
        const received = run.welfare.filter((w) => w.startsWith('received:')).map((w) => w.slice('received:'.length));
        receipts.push({ runId: run.runId, rolloutId: run.rolloutId, programId: run.programId, kinds: received, closedAt });
        byHousehold.set(run.householdId, receipts);
      }
    }
  }
  return byHousehold;
}
