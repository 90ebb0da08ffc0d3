import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { signedHeaders } from '../../lib/standard-webhooks';
import { makeHousehold, uniqueRolloutId } from '../helpers/households';
import { httpJson } from '../../dev/http';
import { getRun, startRun, stepIs, waitForState } from '../helpers/runs';
import { startStack, type Stack } from '../../dev/stack';
import { newSecret } from '../../dev/stack-credentials';

describe('webhook signatures (Standard Webhooks)', () => {
  let stack: Stack;
  let runId: string;
  let taskId: string;
  const completed = () => ({ type: 'task.completed', timestamp: new Date().toISOString(), data: { taskId, result: { amount: 750000, transferReference: 'TRF-SIG' } } });
  const aidStep = async () => (await getRun(stack, runId)).state.steps[0]!;
  const rawPost = (headers: Record<string, string>, body: string) => httpJson('POST', `${stack.apiUrl}/v1/webhooks/kemensos`, body, headers);

  beforeAll(async () => {
    stack = await startStack({ temporalAddress: inject('temporalAddress') });
    await stack.sims.control.kemensos.setBehaviour({ silent: true });
    runId = await startRun(stack, uniqueRolloutId('sig'), makeHousehold());
    taskId = (await waitForState(stack, runId, stepIs('aid', 'open'))).steps[0]!.taskId!;
  });
  afterAll(() => stack?.close());

  it.each([
    ['a forged signature', () => rawPost({ ...signedHeaders(newSecret(), 'msg_forged', JSON.stringify(completed())), 'webhook-signature': 'v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' }, JSON.stringify(completed())), 'headers.webhook-signature'],
    ['a stale timestamp', () => stack.webhook('kemensos', 'msg_stale', completed(), { at: new Date(Date.now() - 6 * 60_000) }), 'headers.webhook-timestamp'],
    ['a timestamp from the future', () => stack.webhook('kemensos', 'msg_future', completed(), { at: new Date(Date.now() + 6 * 60_000) }), 'headers.webhook-timestamp'],
    ['a body changed after signing', () => {
      const signed = JSON.stringify(completed());
      return rawPost(signedHeaders(stack.webhookSecrets.kemensos[0]!, 'msg_changed', signed), signed.replace('TRF-SIG', 'TRF-EVIL'));
    }, 'headers.webhook-signature'],
    ['a rotated-out secret', () => stack.webhook('kemensos', 'msg_rotated', completed(), { secret: newSecret() }), 'headers.webhook-signature'],
    ["another agency's secret", () => stack.webhook('kemensos', 'msg_other', completed(), { secret: stack.webhookSecrets.kemnaker[0]! }), 'headers.webhook-signature'],
    ['no webhook-signature header', () => {
      const body = JSON.stringify(completed());
      const { 'webhook-signature': _omitted, ...headers } = signedHeaders(stack.webhookSecrets.kemensos[0]!, 'msg_nosig', body);
      return rawPost(headers, body);
    }, 'headers.webhook-signature'],
    ['no webhook-id header', () => {
      const body = JSON.stringify(completed());
      const { 'webhook-id': _omitted, ...headers } = signedHeaders(stack.webhookSecrets.kemensos[0]!, 'msg_noid', body);
      return rawPost(headers, body);
    }, 'headers.webhook-id'],
  ])('refuses %s with 401 naming the header, and leaves the run unchanged', async (_what, send, field) => {
    const res = await send();
    expect(res.status).toBe(401);
    expect(res.body.error.fields).toEqual([expect.objectContaining({ field })]);
    expect(await aidStep()).toMatchObject({ status: 'open', attempts: [expect.not.objectContaining({ outcome: expect.anything() })] });
  });

  it('accepts the older secret still listed during a rotation (here for an acknowledgement)', async () => {
    const res = await stack.webhook('kemensos', 'msg_ack', { type: 'task.acknowledged', timestamp: new Date().toISOString(), data: { taskId } }, { secret: stack.webhookSecrets.kemensos[1]! });
    expect(res.status).toBe(200);
    const attempt = (await aidStep()).attempts[0]!;
    expect(attempt.acknowledgedAt).toBeTruthy();
    expect(attempt.progress).toEqual([expect.objectContaining({ kind: 'acknowledged', source: 'msg_ack' })]);
    expect(attempt.outcome).toBeUndefined();
  });

  it('closes the task on a valid signed webhook; the same webhook again gets the same answer and no second effect', async () => {
    const body = completed();
    const first = await stack.webhook('kemensos', 'msg_valid', body);
    expect(first.status).toBe(200);
    const again = await stack.webhook('kemensos', 'msg_valid', body);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const step = await aidStep();
    expect(step.attempts).toHaveLength(1);
    expect(step.attempts[0]).toMatchObject({ outcome: 'completed', closedBy: 'msg_valid', result: { transferReference: 'TRF-SIG' } });
  });

  it('needs no API key for webhooks, and an API key is no substitute for a signature', async () => {
    const res = await httpJson('POST', `${stack.apiUrl}/v1/webhooks/kemensos`, completed(), { authorization: 'Bearer key-of-test-ministry-kemensos' });
    expect(res.status).toBe(401);
  });
});
