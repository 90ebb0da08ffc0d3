import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@temporalio/client';

// Ids per visibility query: each is a short quoted string, so a query stays a few kilobytes.
const idsPerQuery = 50;

/**
 * Waits until visibility lists every one of `workflowIds`; false if some are still missing after
 * `timeoutMs`. Visibility is written after the server's own state, a moment later on a loaded
 * server: whoever lists or counts through it right after starting workflows (a rollout telling
 * its runs of a pause, cancelling them, seeing them all finish) must wait for it first. By id,
 * so no clock is compared and closed runs of the same ids long gone do not matter.
 */
export async function untilListed(client: Client, workflowIds: readonly string[], options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<boolean> {
  const giveUpAt = Date.now() + (options.timeoutMs ?? 60_000);
  let missing = [...new Set(workflowIds)];
  for (let pause = 50; missing.length > 0; pause = Math.min(pause * 2, 1_000)) {
    const stillMissing: string[] = [];
    for (let i = 0; i < missing.length; i += idsPerQuery) {
      options.signal?.throwIfAborted();
      const ids = missing.slice(i, i + idsPerQuery);
      const listed = new Set<string>();
      // Ids are checked by the callers' own schemas (run ids): quoting them is safe.
      for await (const execution of client.workflow.list({ query: `WorkflowId IN (${ids.map((id) => `'${id}'`).join(', ')})`, pageSize: idsPerQuery })) listed.add(execution.workflowId);
      stillMissing.push(...ids.filter((id) => !listed.has(id)));
    }
    missing = stillMissing;
    if (missing.length === 0) return true;
    if (Date.now() >= giveUpAt) return false;
    await sleep(pause);
  }
  return true;
}
