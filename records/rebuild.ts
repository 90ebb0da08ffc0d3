import type { Client } from '@temporalio/client';
import { RolloutIdSchema } from '../domain/ids';
import type { RunState } from '../domain/run-state';
import { RolloutId } from '../domain/search-attributes';
import type { HouseholdKeyOf } from '../lib/household-pseudonym';
import { runStateQuery } from '../workflows/household-run-messages';
import { rolloutStateQuery } from '../workflows/rollout-messages';
import type { RecordsDb } from './records-db';
import { writeRollout } from './write-rollout';
import { writeRun } from './write-run';

export interface RebuildCounts {
  runs: { found: number; written: number; current: number; failed: number };
  rollouts: { found: number; written: number; current: number; failed: number };
}

/**
 * A re-projected record ranks below every write a workflow makes (1, 2, ...) and above an earlier
 * rebuild's: negative, growing with time. A run that records itself overrides it at its next
 * moment; a run started before the records store (which never records itself) is refreshed by
 * each rebuild.
 */
const rebuildSeq = () => Date.now() - 2 ** 52;

/**
 * Re-projects runs and rollouts from Temporal into the records store, by asking each workflow
 * for its state (a worker answers): after upgrading to the records store (runs started before it
 * never record themselves), or after restoring the database. Running ones by default; with
 * `closed`, also those Temporal still keeps (within the namespace's retention).
 */
export async function rebuildRecords(
  deps: { client: Client; db: RecordsDb; householdKeyOf: HouseholdKeyOf },
  options: { closed?: boolean; rolloutId?: string; concurrency?: number; onProgress?: (counts: RebuildCounts) => void } = {},
): Promise<RebuildCounts> {
  const counts: RebuildCounts = { runs: { found: 0, written: 0, current: 0, failed: 0 }, rollouts: { found: 0, written: 0, current: 0, failed: 0 } };
  const open = `${options.closed ? '' : ` AND ExecutionStatus = 'Running'`}${options.rolloutId ? ` AND ${RolloutId.name} = '${RolloutIdSchema.parse(options.rolloutId)}'` : ''}`;
  const each = async (query: string, kind: keyof RebuildCounts, write: (workflowId: string) => Promise<boolean>) => {
    const pending = new Set<Promise<void>>();
    for await (const execution of deps.client.workflow.list({ query })) {
      counts[kind].found += 1;
      const job = write(execution.workflowId).then(
        (applied) => void (applied ? counts[kind].written++ : counts[kind].current++),
        () => void counts[kind].failed++,
      );
      pending.add(job);
      void job.finally(() => pending.delete(job));
      if (pending.size >= (options.concurrency ?? 16)) await Promise.race(pending);
      if (counts[kind].found % 500 === 0) options.onProgress?.(counts);
    }
    await Promise.all(pending);
  };
  // A workflow that writes its own record (a positive sequence number) is never asked: its record is
  // current or soon will be, and a query can harm a running run (the SDK core's replay for a query
  // takes a run no worker holds past its history; see README.md, "Records store").
  const recordsItself = async (table: 'runs' | 'rollouts', workflowId: string) => {
    const id = table === 'runs' ? workflowId : workflowId.replace(/^rollout:/, '');
    const { rowCount } = await deps.db.pool.query(`SELECT 1 FROM ${table} WHERE ${table === 'runs' ? 'run_id' : 'rollout_id'} = $1 AND seq > 0`, [id]);
    return (rowCount ?? 0) > 0;
  };
  await each(`WorkflowType = 'rollout'${open}`, 'rollouts', async (workflowId) => {
    if (await recordsItself('rollouts', workflowId)) return false;
    const { input, state } = await deps.client.workflow.getHandle(workflowId).query(rolloutStateQuery);
    return writeRollout(deps.db, { seq: rebuildSeq(), input, state });
  });
  await each(`WorkflowType = 'householdRun'${open}`, 'runs', async (workflowId) => {
    if (await recordsItself('runs', workflowId)) return false;
    const state = await deps.client.workflow.getHandle(workflowId).query(runStateQuery);
    const stuckSince = stuckSinceOf(state);
    return writeRun(deps.db, { seq: rebuildSeq(), state, householdKey: deps.householdKeyOf(state.householdId), ...(stuckSince && { stuckSince }) });
  });
  return counts;
}

/** Since when a re-projected run is stuck, as near as its state tells: a failed attempt's close, a missed deadline, an overdue decision's deadline. */
function stuckSinceOf(state: RunState): string | undefined {
  if (state.status !== 'running') return undefined;
  const attempt = state.steps.find((s) => s.stuck)?.attempts.at(-1);
  if (attempt) return attempt.closedAt ?? attempt.deadline ?? new Date().toISOString();
  return state.graduation?.assessments.find((a) => !a.decision && a.approvalDeadline && Date.parse(a.approvalDeadline) <= Date.now())?.approvalDeadline;
}
