import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { graduationPlanV1 } from '../../domain/plans/graduation';
import { makeHousehold, uniqueRolloutId } from '../helpers/households';
import { getRun, shortPlan, startRun, stepIs, waitForState } from '../helpers/runs';
import { startStack, type Stack } from '../../dev/stack';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('progress reports and the SLA clock', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ temporalAddress: inject('temporalAddress') });
    await stack.sims.control.kemensos.setBehaviour({ silent: true });
  });
  afterAll(() => stack?.close());

  async function openRun(slaRestartsOnProgress: boolean, sla = 'PT3S') {
    const plan = shortPlan(graduationPlanV1, { aid: { sla, slaRestartsOnProgress } });
    const runId = await startRun(stack, uniqueRolloutId('progress'), makeHousehold(), plan);
    const taskId = (await waitForState(stack, runId, stepIs('aid', 'open'))).steps[0]!.taskId!;
    return { runId, taskId };
  }
  const progress = (taskId: string, n: number) =>
    stack.webhook('kemensos', `msg_progress_${taskId}_${n}`, { type: 'task.progress', timestamp: new Date().toISOString(), data: { taskId, progress: { disbursedPercent: n * 10 } } });

  it('keeps a step out of "stuck" while the agency reports progress, where the plan says so', async () => {
    // Five reports 1.5 s apart against a 6-s SLA: room for a busy machine, and 7.5 s in all, past the first deadline.
    const { runId, taskId } = await openRun(true, 'PT6S');
    for (let n = 1; n <= 5; n++) {
      await sleep(1_500);
      expect((await progress(taskId, n)).status).toBe(200);
    }
    let aid = (await getRun(stack, runId)).state.steps[0]!;
    expect(aid.stuck).toBe(false);
    expect(aid.attempts[0]!.progress?.map((p) => p.data)).toEqual([1, 2, 3, 4, 5].map((n) => ({ disbursedPercent: n * 10 })));
    // Silence after the last report: stuck one SLA later.
    aid = (await waitForState(stack, runId, (s) => s.steps[0]!.stuck, 20_000)).steps[0]!;
    expect(Date.parse(aid.attempts[0]!.deadline!)).toBeGreaterThan(Date.parse(aid.attempts[0]!.openedAt!) + 6_000);
  });

  it('counts progress as silence where the plan does not say otherwise', async () => {
    const { runId, taskId } = await openRun(false);
    for (let n = 1; n <= 3; n++) {
      await sleep(1_200);
      await progress(taskId, n);
    }
    const state = await waitForState(stack, runId, (s) => s.steps[0]!.stuck, 5_000);
    expect(state.steps[0]!.attempts[0]!.progress).toHaveLength(3);
  });

  it('refuses progress for a closed task (409), for another agency (403) and an unknown one (404)', async () => {
    const { runId, taskId } = await openRun(false);
    const other = await stack.webhook('kemnaker', 'msg_p_other', { type: 'task.progress', timestamp: new Date().toISOString(), data: { taskId, progress: {} } });
    expect(other.status).toBe(403);
    const unknown = await stack.webhook('kemensos', 'msg_p_unknown', { type: 'task.acknowledged', timestamp: new Date().toISOString(), data: { taskId: taskId.replace(/:1$/, ':2') } });
    expect(unknown.status).toBe(404);
    await stack.webhook('kemensos', 'msg_p_done', { type: 'task.completed', timestamp: new Date().toISOString(), data: { taskId, result: { amount: 1, transferReference: 'T' } } });
    const late = await stack.webhook('kemensos', 'msg_p_late', { type: 'task.progress', timestamp: new Date().toISOString(), data: { taskId, progress: {} } });
    expect(late.status).toBe(409);
    expect((await getRun(stack, runId)).state.steps[0]!.attempts[0]!.progress ?? []).toHaveLength(0);
  });
});
