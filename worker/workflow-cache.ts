/**
 * How many workflows a worker keeps in memory, from the memory it is given (WORKER_MEMORY_MB).
 *
 * A cached run answers its next task from memory; one evicted is replayed from its history
 * when its next task comes (a few milliseconds of CPU, nothing lost). The SDK's own default
 * sizes the cache from the V8 heap limit alone (about 2,300 workflows on a 4 GiB heap), and a
 * household run in our bundle holds far more than the SDK assumes: each cached run carries its
 * own instance of every module the workflows import (the domain's zod schemas among them), so
 * a worker grew without bound in practice (1 GiB at 2,000 runs, 4.5 GiB at 20,000, issue 15).
 *
 * The two figures below are measured by `npm run bench:memory` (bench/README.md): what a worker
 * holds with an empty cache, and what each cached household run adds.
 */
export const workerBaseMb = 350;
export const cachedRunMb = 2.5;

export interface WorkflowCache {
  maxCachedWorkflows: number;
  /** The memory the cache was sized from: the setting, or the V8 heap limit where that is lower. */
  budgetMb: number;
}

/**
 * The cache for a worker given `memoryMb`, never more than the process's heap can hold
 * (`heapLimitMb`, which NODE_OPTIONS=--max-old-space-size raises), and never fewer than 10, the
 * SDK's own floor (a cache of 2 stalled six households in a test; 4 took them through).
 */
export function workflowCacheFor(memoryMb: number, heapLimitMb: number): WorkflowCache {
  const budgetMb = Math.min(memoryMb, heapLimitMb);
  return { budgetMb, maxCachedWorkflows: Math.max(10, Math.floor((budgetMb - workerBaseMb) / cachedRunMb)) };
}
