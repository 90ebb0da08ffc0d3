import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { makeHousehold, uniqueRolloutId } from '../helpers/households';
import { httpJson } from '../helpers/http';
import { ended, startRun, stepIs, waitForState } from '../helpers/runs';
import { startStack, type Stack } from '../helpers/stack';
import { apiKeyOf, newSecret } from '../helpers/test-credentials';

/** Every log line of API, worker, Temporal SDK and simulators, at the most verbose level. */
class LogCapture extends Writable {
  lines: string[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void) {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
}

describe('logs name no one and leak no secret', () => {
  const logs = new LogCapture();
  let stack: Stack;
  const household = makeHousehold({ headNik: '3509016812790042', headName: 'Ratna Kusumawardani', phone: '+6281234567890', email: 'ratna.k@example.id' });
  const rejected = makeHousehold({ headNik: '3509015103880077', headName: 'Bambang Sutrisno' });

  beforeAll(async () => {
    stack = await startStack({ temporalAddress: inject('temporalAddress'), logs: { level: 'trace', destination: logs } });
    await stack.sims.control.kemenkop.setBehaviour({ rejectHouseholds: { [rejected.familyCardNumber]: { mode: 'at-request', times: 0 } } });
    await stack.sims.control.kemnaker.setBehaviour({ failRequests: 1 });
    const rolloutId = uniqueRolloutId('logs');
    const runs = [await startRun(stack, rolloutId, household), await startRun(stack, rolloutId, rejected)];
    for (const runId of runs) await waitForState(stack, runId, ended);

    // Refused and failing requests carry the same personal data in their bodies.
    await stack.call('POST', '/v1/runs', { rolloutId, household: { ...household, decile: 42 } });
    await stack.call('POST', '/v1/runs', { rolloutId, household }, 'anonymous');
    await stack.call('POST', '/v1/runs', { rolloutId, household }, 'viewer');
    await stack.call('POST', '/v1/runs', { rolloutId, household });
    await stack.webhook('kemensos', 'msg_forged', { type: 'task.completed', data: { nik: household.headNik } }, { secret: newSecret() });
    await stack.sims.control.pemda.setBehaviour({ silent: true });
    const third = await startRun(stack, uniqueRolloutId('logs'), household);
    const visit = (await waitForState(stack, third, stepIs('follow-up-1', 'open'))).steps[3]!.taskId!;
    await stack.webhook('pemda', 'msg_bad_result', { type: 'task.completed', timestamp: new Date().toISOString(), data: { taskId: visit, result: { notes: household.headName } } });
    await httpJson('GET', `${stack.apiUrl}/v1/runs`, undefined, { 'x-api-key': 'wrong' });
  }, 120_000);
  afterAll(() => stack?.close());

  it('captured the logs of every component', () => {
    const services = new Set(logs.lines.map((l) => (JSON.parse(l) as { service?: string }).service));
    expect([...services].sort()).toEqual(['api', 'simulators', 'temporal-sdk']);
    expect(logs.lines.length).toBeGreaterThan(50);
  });

  it('has no NIK, name, phone or e-mail in any line', () => {
    for (const h of [household, rejected]) {
      for (const value of [h.headNik, h.headName, h.phone, h.email].filter(Boolean) as string[]) {
        expect(logs.lines.filter((l) => l.includes(value))).toEqual([]);
      }
    }
  });

  it('has no secret or credential in any line', () => {
    const secrets = [
      ...Object.values(stack.webhookSecrets).flat(),
      ...Object.values(stack.endpoints).flatMap((e) => Object.entries(e).filter(([k]) => k !== 'url').map(([, v]) => v)),
      apiKeyOf('coordinator'),
      apiKeyOf('viewer'),
    ];
    for (const secret of secrets) expect(logs.lines.filter((l) => l.includes(secret))).toEqual([]);
  });
});
