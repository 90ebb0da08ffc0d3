import { condition, defineUpdate, proxyActivities, setHandler } from '@temporalio/workflow';
import type { BaselineActivities } from './baseline-activities';

/** The answer for step i, as a ministry's webhook would bring it. */
export const stepDoneUpdate = defineUpdate<void, [number]>('stepDone');

/** A ministry's report on step `step`'s task, as bench:webhooks sends them: progress, or the outcome. */
export const taskReportUpdate = defineUpdate<void, [{ step: number; outcome: boolean }]>('taskReport');

const { openStep, openTask } = proxyActivities<BaselineActivities>({
  startToCloseTimeout: '30 seconds',
});

/**
 * The benchmark's baseline: the same number of activities and updates as a household run of
 * the graduation plan, with no Sinergi logic (no adapters, HTTP, validation, SLAs or attributes).
 */
export async function baselineRun(steps: number): Promise<void> {
  const done = new Set<number>();
  setHandler(stepDoneUpdate, (step) => void done.add(step));
  for (let step = 0; step < steps; step++) {
    await openStep(step);
    await condition(() => done.has(step));
  }
}

/**
 * bench:webhooks' baseline: a run that opens a task per step (an activity doing nothing) and
 * waits for its outcome, taking progress reports meanwhile; the reports come from outside at the
 * benchmark's rate, as a household run's webhooks do, with no Sinergi logic.
 */
export async function baselineTasks(steps: number): Promise<number> {
  const done = new Set<number>();
  let reports = 0;
  setHandler(taskReportUpdate, ({ step, outcome }) => {
    reports += 1;
    if (outcome) done.add(step);
  });
  for (let step = 0; step < steps; step++) {
    await openTask(step);
    await condition(() => done.has(step));
  }
  return reports;
}
