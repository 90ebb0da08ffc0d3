import { workflowInfo } from '@temporalio/workflow';

/**
 * Numbers a workflow's writes to the records store so a later write always carries a larger
 * number, even across a worker killed mid-task: a counter in memory would restart where the dead
 * worker's unsaved task left off, and the replacement's write (with more events applied) would
 * reuse a number already written, and be dropped. The history length grows with every workflow
 * task, a retried one included, so the number is the history length (x100) plus the write's place
 * within its task, above `base` (what an earlier run of a continued-as-new workflow reached).
 */
export function recordSequence(base = 0): () => number {
  let task = -1;
  let n = 0;
  return () => {
    const length = workflowInfo().historyLength;
    if (length !== task) {
      task = length;
      n = 0;
    }
    n += 1;
    return base + length * 100 + n;
  };
}
