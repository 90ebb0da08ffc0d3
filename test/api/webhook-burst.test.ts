import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eventually } from '../../dev/http';
import { makeHousehold, uniqueRolloutId } from '../helpers/households';
import { getRun, startRun } from '../helpers/runs';
import { startStack, type Stack } from '../../dev/stack';

const RUNS = 200;
const DUPLICATES = 60;

describe('a burst of concurrent webhooks', () => {
  let stack: Stack;
  let tasks: { runId: string; taskId: string }[];

  beforeAll(async () => {
    stack = await startStack({ temporalAddress: inject('temporalAddress') });
    await stack.sims.control.kemensos.setBehaviour({ silent: true });
    const rolloutId = uniqueRolloutId('burst');
    const runIds: string[] = [];
    for (let i = 0; i < RUNS; i += 20) {
      runIds.push(...(await Promise.all(Array.from({ length: Math.min(20, RUNS - i) }, () => startRun(stack, rolloutId, makeHousehold())))));
    }
    // Every run's aid task open at kemensos, as seen through visibility.
    const open = await eventually(async () => {
      const res = await stack.call('GET', `/v1/runs?rollout=${rolloutId}&step=aid&pageSize=1000`, undefined, 'viewer');
      const withTask = (res.body.runs as { runId: string; currentTaskId?: string }[]).filter((r) => r.currentTaskId);
      return withTask.length === RUNS ? withTask : undefined;
    }, 90_000, 'all aid tasks open');
    tasks = open.map((r) => ({ runId: r.runId, taskId: r.currentTaskId! }));
  }, 180_000);
  afterAll(() => stack?.close());

  it('leaves every run with exactly one outcome per task, whatever the duplicates', async () => {
    const send = (task: { taskId: string }, id: string) =>
      stack.webhook('kemensos', id, { type: 'task.completed', timestamp: new Date().toISOString(), data: { taskId: task.taskId, result: { amount: 750000, transferReference: id } } });
    const deliveries = [
      ...tasks.map((t, i) => ({ task: t, id: `msg_burst_${i}` })),
      // Redeliveries of the same webhooks, and different webhooks for the same tasks.
      ...tasks.slice(0, DUPLICATES / 2).map((t, i) => ({ task: t, id: `msg_burst_${i}` })),
      ...tasks.slice(DUPLICATES / 2, DUPLICATES).map((t, i) => ({ task: t, id: `msg_burst_other_${i}` })),
    ];
    const started = Date.now();
    const answers = await Promise.all(deliveries.map((d) => send(d.task, d.id).then((r) => ({ ...d, status: r.status }))));
    const elapsed = Date.now() - started;

    const byStatus = answers.reduce<Record<number, number>>((acc, a) => ({ ...acc, [a.status]: (acc[a.status] ?? 0) + 1 }), {});
    // 200 firsts + 30 redeliveries answered 200; the 30 different webhooks for closed tasks 409 (or 200 when they won the race).
    expect((byStatus[200] ?? 0) + (byStatus[409] ?? 0)).toBe(deliveries.length);
    expect(byStatus[200]).toBeGreaterThanOrEqual(RUNS + DUPLICATES / 2);

    for (const [i, task] of tasks.entries()) {
      const { state } = await getRun(stack, task.runId);
      const closedBy = state.steps[0]!.attempts.map((a) => a.closedBy);
      expect(closedBy).toHaveLength(1);
      const winners = answers.filter((a) => a.task.taskId === task.taskId && a.status === 200).map((a) => a.id);
      expect(new Set(winners)).toEqual(new Set([closedBy[0]]));
      if (i < DUPLICATES / 2) expect(closedBy[0]).toBe(`msg_burst_${i}`);
    }
    console.log(`${deliveries.length} concurrent webhooks answered in ${elapsed} ms: ${JSON.stringify(byStatus)}`);
  });
});
