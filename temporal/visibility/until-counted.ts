import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@temporalio/client';

/**
 * Waits until visibility counts at least `atLeast` workflows for `query`; false if it has not
 * after `timeoutMs`. Visibility is written after the server's own state, a moment later on a
 * loaded server: whoever lists or counts through it right after starting workflows (a rollout
 * telling its runs of a pause, cancelling them, seeing them all finish) must wait for it first.
 */
export async function untilCounted(client: Client, query: string, atLeast: number, options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<boolean> {
  const giveUpAt = Date.now() + (options.timeoutMs ?? 60_000);
  for (let pause = 50; ; pause = Math.min(pause * 2, 1_000)) {
    options.signal?.throwIfAborted();
    if ((await client.workflow.count(query)).count >= atLeast) return true;
    if (Date.now() >= giveUpAt) return false;
    await sleep(pause);
  }
}
