import { expect } from 'vitest';
import { agencies, type Agency } from '../../domain/agency';
import type { ProgramPlan } from '../../domain/program-plan';
import type { Stack } from '../../dev/stack';

/** The tasks one simulated ministry holds for one run. */
export async function simTasks(stack: Stack, agency: Agency, runId: string) {
  const tasks = await stack.sims.control[agency].tasks();
  return tasks.filter((t) => t.taskId.startsWith(`${runId}:`));
}

/** Each agency holds exactly one task per plan step of its own, each opened exactly once. */
export async function expectEachStepOpenedOnce(stack: Stack, runId: string, plan: ProgramPlan): Promise<void> {
  for (const agency of agencies) {
    const tasks = await simTasks(stack, agency, runId);
    expect(tasks.map((t) => t.taskId.split(':')[3]).sort()).toEqual(plan.steps.filter((s) => s.agency === agency).map((s) => s.key).sort());
    expect(tasks.map((t) => t.opened)).toEqual(tasks.map(() => 1));
  }
}
