import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startStack, type Stack } from '../../dev/stack';
import { makeHousehold, uniqueRolloutId } from '../helpers/households';
import { getRun, startRun, stepIs, waitForState } from '../helpers/runs';

/** Invariant 1 when no worker can take the outcome: never a 2xx before it is recorded; the ministry's retry then lands once. */
describe('a webhook while no worker runs', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ temporalAddress: inject('temporalAddress') });
    await stack.sims.control.kemensos.setBehaviour({ silent: true });
  });
  afterAll(() => stack?.close());

  it('is answered 503 with Retry-After once the accept deadline passes, and its retry after the workers return is recorded once', async () => {
    const runId = await startRun(stack, uniqueRolloutId('noworker'), makeHousehold());
    const taskId = (await waitForState(stack, runId, stepIs('aid', 'open'))).steps[0]!.taskId!;
    const body = { type: 'task.completed', timestamp: new Date().toISOString(), data: { taskId, result: { amount: 750000, transferReference: 'TRF-NW' } } };
    await stack.stopWorkers();
    try {
      const started = Date.now();
      const refused = await stack.webhook('kemensos', 'msg_no_worker', body);
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('5');
      // The API's accept deadline (15 s): the ministry is not kept waiting much past it.
      expect(Date.now() - started).toBeLessThan(30_000);
    } finally {
      await stack.startWorkers();
    }
    // The ministry retries as told: the same webhook, recorded once (whether the first reached the run meanwhile or not).
    const retried = await stack.webhook('kemensos', 'msg_no_worker', body);
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ taskId, outcome: 'completed' });
    const { state } = await getRun(stack, runId);
    expect(state.steps[0]!.attempts).toHaveLength(1);
    expect(state.steps[0]!.attempts[0]).toMatchObject({ outcome: 'completed', closedBy: 'msg_no_worker', result: { transferReference: 'TRF-NW' } });
  }, 120_000);
});
