import { condition, defineUpdate, proxyActivities, setHandler } from '@temporalio/workflow';
import type { BaselineActivities } from './baseline-activities';

/** The answer for step i, as a ministry's webhook would bring it. */
export const stepDoneUpdate = defineUpdate<void, [number]>('stepDone');

const { openStep } = proxyActivities<BaselineActivities>({ startToCloseTimeout: '30 seconds' });

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
