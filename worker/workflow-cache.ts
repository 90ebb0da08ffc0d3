import { setFlagsFromString } from 'node:v8';

/**
 * How a worker that runs workflows spends the memory it is given (WORKER_MEMORY_MB).
 *
 * Workflows run in a thread of their own with its own V8 heap, which holds the cache of runs in
 * memory. A cached run answers its next task from memory; one evicted is replayed from its history
 * when its next task comes (milliseconds of CPU, nothing lost). Each cached run carries its own
 * instance of every module the workflows import (the domain's zod schemas among them), about
 * 1.8 MiB, created in about 18 ms. Left to the SDK, the cache is sized from the heap limit alone
 * (about 2,300 runs on a 4 GiB heap, far more than fit) and the heap grows as V8 likes: 1 GiB at
 * 2,000 runs and 4.5 GiB at 20,000 (issue 15), 3.6 GiB at 2,000 runs with a cache of 679 but the
 * heap left at its default, since evicted runs are garbage V8 collects only as the heap nears its
 * limit.
 *
 * So both are set from the one figure: the workflow thread's heap limit is what the memory leaves
 * after the rest of the worker, and the cache fills half of that heap, the other half room for
 * the garbage of evictions and replays. The figures below are measured by `npm run bench:memory`
 * (bench/README.md).
 */
/** The worker besides its workflows' heap: the main thread (activities, codec, records), the SDK's native core, code. */
export const workerBaseMb = 400;
/** What a cached household run holds in its heap, its module instances included. */
export const cachedRunMb = 2;
/** The workflows' heap is this many times what its cache holds. */
export const heapPerCacheMb = 2;

export interface WorkflowMemory {
  /** The workflow thread's V8 heap limit (old space), MiB. */
  workflowHeapMb: number;
  maxCachedWorkflows: number;
}

/** The workflow thread's heap and cache for a worker given `memoryMb`; never fewer than 10 cached runs, the SDK's own floor (a cache of 2 stalled six households in a test; 4 took them through). */
export function workflowMemoryFor(memoryMb: number): WorkflowMemory {
  const workflowHeapMb = Math.max(memoryMb - workerBaseMb, 128);
  return { workflowHeapMb, maxCachedWorkflows: Math.max(10, Math.floor(workflowHeapMb / (cachedRunMb * heapPerCacheMb))) };
}

/**
 * Sets the heap limit of every V8 isolate this process creates from now on: call it before the
 * workers are created, so that the SDK's workflow thread (created with them, with no limits of
 * its own) gets it. The main thread keeps the limit it started with.
 */
export function limitWorkflowHeap(memory: WorkflowMemory): void {
  setFlagsFromString(`--max-old-space-size=${memory.workflowHeapMb}`);
}
