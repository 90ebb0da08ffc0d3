import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { graduationPlanV1 } from '../../domain/plans/graduation';
import { startStack, type Stack } from '../../dev/stack';
import { cachedRunMb, workerBaseMb, workflowCacheFor } from '../../worker/workflow-cache';
import { makeHousehold, uniqueRolloutId } from '../helpers/households';
import { ended, getRun, shortPlan, startRun, stepIs, waitForState } from '../helpers/runs';

describe('the workflow cache sized from WORKER_MEMORY_MB', () => {
  it('holds what the memory leaves after the worker itself, at so much a run', () => {
    expect(workflowCacheFor(2048, 4096)).toEqual({ budgetMb: 2048, maxCachedWorkflows: Math.floor((2048 - workerBaseMb) / cachedRunMb) });
    expect(workflowCacheFor(4096, 4096).maxCachedWorkflows).toBeGreaterThan(workflowCacheFor(2048, 4096).maxCachedWorkflows);
  });

  it('is never sized above the heap the process has, nor below the SDK default floor of 10', () => {
    expect(workflowCacheFor(16_384, 4096)).toEqual(workflowCacheFor(4096, 4096));
    expect(workflowCacheFor(16_384, 4096).budgetMb).toBe(4096);
    expect(workflowCacheFor(512, 300).maxCachedWorkflows).toBe(10);
  });
});

describe('a worker whose cache holds far fewer runs than are under way', () => {
  let stack: Stack;
  beforeAll(async () => {
    // Four workflows in memory for six households (twelve workflows: runs and their enrolment locks).
    stack = await startStack({ temporalAddress: inject('temporalAddress'), maxCachedWorkflows: 4, delayMs: 100 });
  });
  afterAll(() => stack?.close());

  it('takes every run to its end, each step done once, replaying evicted runs from their histories', { timeout: 240_000 }, async () => {
    const plan = shortPlan(graduationPlanV1);
    const rolloutId = uniqueRolloutId('small-cache');
    const runIds = await Promise.all(Array.from({ length: 6 }, () => startRun(stack, rolloutId, makeHousehold(), plan)));
    const states = await Promise.all(runIds.map((id) => waitForState(stack, id, ended, 120_000)));
    for (const state of states) {
      expect(state.status).toBe('completed');
      expect(state.steps.map((s) => s.status)).toEqual(plan.steps.map(() => 'completed'));
      // One attempt per step: an evicted run replayed its history, it did not open its tasks again.
      expect(state.steps.map((s) => s.attempts.length)).toEqual(plan.steps.map(() => 1));
    }
    // And each ministry received each task once.
    const tasks = stack.sims.control.kemensos.tasks();
    for (const runId of runIds) expect(tasks.filter((t) => t.taskId.startsWith(`${runId}:`))).toHaveLength(1);
  });

  it("answers the stack-trace query with where a run waits, in the sandbox's shallower traces", async () => {
    await stack.sims.control.kemnaker.setBehaviour({ silent: true });
    try {
      const runId = await startRun(stack, uniqueRolloutId('stack-trace'), makeHousehold(), shortPlan(graduationPlanV1));
      await waitForState(stack, runId, stepIs('training', 'open'));
      const trace = await stack.client.workflow.getHandle(runId).query<string>('__stack_trace');
      expect(trace).toMatch(/awaitOutcome \(.*workflows\/household-run\.ts:\d+:\d+\)/);
      // Error.stackTraceLimit 6 in the sandbox (workflows/sandbox-setup.ts): never more than 6 frames a promise.
      for (const frames of trace.split('\n\n')) expect(frames.split('\n').filter((l) => l.trim().startsWith('at ')).length).toBeLessThanOrEqual(6);
      expect((await getRun(stack, runId)).temporal.status).toBe('RUNNING');
    } finally {
      await stack.sims.control.kemnaker.setBehaviour({ silent: false });
    }
  });
});
