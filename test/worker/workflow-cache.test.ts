import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eventually } from '../../dev/http';
import { graduationPlanV1 } from '../../domain/plans/graduation';
import { startStack, type Stack } from '../../dev/stack';
import { cachedRunMb, heapPerCacheMb, workerBaseMb, workflowMemoryFor } from '../../worker/workflow-cache';
import { workflowBundle } from '../../worker/workflow-bundle';
import { importCohort } from '../helpers/cohorts';
import { makeHousehold, uniqueRolloutId } from '../helpers/households';
import { ended, getRun, shortPlan, startRun, stepIs, waitForState } from '../helpers/runs';

describe('the workflow memory from WORKER_MEMORY_MB', () => {
  it("gives the workflows' heap what the rest of the worker leaves, and the cache half of that heap", () => {
    const memory = workflowMemoryFor(2048);
    expect(memory.workflowHeapMb).toBe(2048 - workerBaseMb);
    expect(memory.maxCachedWorkflows).toBe(Math.floor((2048 - workerBaseMb) / (cachedRunMb * heapPerCacheMb)));
    expect(memory.maxCachedWorkflows * cachedRunMb).toBeLessThanOrEqual(memory.workflowHeapMb / 2);
    expect(workflowMemoryFor(4096).maxCachedWorkflows).toBeGreaterThan(memory.maxCachedWorkflows);
  });

  it('never caches fewer than 10 runs, the SDK default floor', () => {
    expect(workflowMemoryFor(512).maxCachedWorkflows).toBeGreaterThanOrEqual(10);
    expect(workflowMemoryFor(512).workflowHeapMb).toBeGreaterThanOrEqual(112);
  });

  it('limits the heap of a thread created after it, as the SDK creates its workflow thread', async () => {
    // A child process: the limit holds for every isolate created afterwards, so not in the test runner's own.
    const { execFileSync } = await import('node:child_process');
    const script = `
      const { limitWorkflowHeap } = require(${JSON.stringify(require.resolve('../../worker/workflow-cache'))});
      limitWorkflowHeap({ workflowHeapMb: 300, maxCachedWorkflows: 10 });
      const { Worker } = require('node:worker_threads');
      new Worker('require("node:worker_threads").parentPort.postMessage(require("node:v8").getHeapStatistics().heap_size_limit)', { eval: true })
        .on('message', (limit) => console.log(JSON.stringify({ thread: limit, main: require('node:v8').getHeapStatistics().heap_size_limit })));`;
    const out = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' })) as { thread: number; main: number };
    expect(out.thread / 2 ** 20).toBeGreaterThanOrEqual(300);
    expect(out.thread / 2 ** 20).toBeLessThan(400);
    expect(out.main).toBeGreaterThan(out.thread);
  });
});

describe('a worker whose cache holds far fewer runs than are under way', () => {
  let stack: Stack;
  beforeAll(async () => {
    // Two runs cached for eight households (sixteen workflows, runs and their enrolment locks): nearly every task replays its run.
    // Reads polled all the while (waitForState) come from the records store: a query to a run no worker held made the SDK's core
    // run it past its history, and with this cache that stalled a run on nondeterminism every time (api/runs/read-run-state.ts).
    stack = await startStack({ temporalAddress: inject('temporalAddress'), maxCachedWorkflows: 2, delayMs: 100 });
  });
  afterAll(() => stack?.close());

  it('takes every run to its end, each step done once, replaying evicted runs from their histories', { timeout: 330_000 }, async () => {
    const plan = shortPlan(graduationPlanV1);
    const rolloutId = uniqueRolloutId('small-cache');
    const runIds = await Promise.all(Array.from({ length: 8 }, () => startRun(stack, rolloutId, makeHousehold(), plan)));
    // Generous: each evicted run is replayed on one workflow thread, slow when the suite's other files share the two cores (13 s alone, over 120 s once in the full suite); what is asserted is the outcome.
    const states = await Promise.all(runIds.map((id) => waitForState(stack, id, ended, 300_000)));
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

  it("answers each control of a rollout starting its runs, its writes and the controls' replayed in the order they ran", { timeout: 240_000 }, async () => {
    // Controls arrive while the rollout writes its progress after each batch: a control's write and the rollout's own in flight at once replayed in another order (nondeterminism, the rollout stuck, a cancel unanswered).
    const cohortId = await importCohort(stack, Array.from({ length: 30 }, () => makeHousehold()));
    const rolloutId = uniqueRolloutId('small-cache-controls');
    const started = await stack.call('POST', '/v1/rollouts', { rolloutId, cohortId, programId: 'graduation', version: 1, reason: 'uji', pace: { batchSize: 3, startsPerSecond: 50, watchEvery: '1 second' } });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    for (const action of ['pause', 'resume', 'pause', 'resume', 'pause', 'resume']) {
      const res = await stack.call('POST', `/v1/rollouts/${rolloutId}/${action}`, { reason: `uji ${action}` });
      expect(res.status, `${action}: ${JSON.stringify(res.body)}`).toBe(200);
    }
    const cancelled = await stack.call('POST', `/v1/rollouts/${rolloutId}/cancel`, { reason: 'uji selesai' }, 'manager');
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    const ended = await eventually(async () => {
      const res = await stack.call('GET', `/v1/rollouts/${rolloutId}`, undefined, 'viewer');
      return res.body.status === 'cancelled' ? res.body : undefined;
    }, 180_000, 'the rollout cancelled');
    expect(ended.operations.map((o: { action: string }) => o.action)).toEqual(['pause', 'resume', 'pause', 'resume', 'pause', 'resume', 'cancel']);
    // No task of the rollout's failed on nondeterminism: its history replays on today's code.
    const history = await stack.client.workflow.getHandle(`rollout:${rolloutId}`).fetchHistory();
    await expect(Worker.runReplayHistory({ workflowBundle: await workflowBundle(), dataConverter: stack.dataConverter }, history)).resolves.toBeUndefined();
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
