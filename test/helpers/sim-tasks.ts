import type { Agency } from '../../domain/agency';
import type { Stack } from './stack';

/** The tasks one simulated ministry holds for one run. */
export async function simTasks(stack: Stack, agency: Agency, runId: string) {
  const tasks = await stack.sims.control[agency].tasks();
  return tasks.filter((t) => t.taskId.startsWith(`${runId}:`));
}
