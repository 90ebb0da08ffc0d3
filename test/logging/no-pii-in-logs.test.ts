import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { makeHousehold, uniqueRolloutId } from '../helpers/households';
import { cohortCsv, cohortHousehold } from '../helpers/cohorts';
import { httpJson } from '../../dev/http';
import { ended, startRun, stepIs, waitForState } from '../helpers/runs';
import { startStack, type Stack } from '../../dev/stack';
import { apiKeyOf, newSecret } from '../../dev/stack-credentials';

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
  let cohortNik = '';
  const session = { cookie: '', csrfToken: '' };
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
    // Another family card with the same person's data: the first household is now excluded as having received micro-capital.
    const third = await startRun(stack, uniqueRolloutId('logs'), makeHousehold({ headNik: household.headNik, headName: household.headName, phone: household.phone, email: household.email }));
    const visit = (await waitForState(stack, third, stepIs('follow-up-1', 'open'))).steps[3]!.taskId!;
    await stack.webhook('pemda', 'msg_bad_result', { type: 'task.completed', timestamp: new Date().toISOString(), data: { taskId: visit, result: { notes: household.headName } } });
    await httpJson('GET', `${stack.apiUrl}/v1/runs`, undefined, { 'x-api-key': 'wrong' });

    // The console's session: signed in, used (with and without its CSRF token), signed out.
    const signedIn = await httpJson('POST', `${stack.apiUrl}/v1/session`, { apiKey: apiKeyOf('manager') });
    session.cookie = signedIn.headers.getSetCookie()[0]!.split(';')[0]!;
    session.csrfToken = signedIn.body.csrfToken;
    await httpJson('POST', `${stack.apiUrl}/v1/session`, { apiKey: `${apiKeyOf('manager')}-typo` });
    await httpJson('GET', `${stack.apiUrl}/v1/session`, undefined, { cookie: session.cookie });
    await httpJson('POST', `${stack.apiUrl}/v1/runs/${encodeURIComponent(runs[0]!)}/cancel`, { reason: 'logs test' }, { cookie: session.cookie });
    await httpJson('POST', `${stack.apiUrl}/v1/runs/${encodeURIComponent(runs[0]!)}/cancel`, { reason: 'logs test' }, { cookie: session.cookie, 'x-csrf-token': session.csrfToken });
    await httpJson('DELETE', `${stack.apiUrl}/v1/session`, undefined, { cookie: session.cookie, 'x-csrf-token': session.csrfToken });
    await httpJson('GET', `${stack.apiUrl}/v1/session`, undefined, { cookie: session.cookie });

    // A cohort with the same people: imported (with bad rows), previewed, rolled out, reported.
    const cohortPerson = cohortHousehold({ headName: 'Ratna Kusumawardani', phone: '+6281234567890', email: 'ratna.k@example.id' });
    const csv = `${cohortCsv([cohortPerson])}${cohortPerson.familyCardNumber},${rejected.headNik},${rejected.headName},35.09.01.2001,1,poor,,\r\n`;
    const imported = await stack.upload('/v1/cohorts', csv, 'text/csv');
    cohortNik = cohortPerson.headNik;
    await stack.upload('/v1/cohorts', `no_kk;nik;nama\n1;${household.headNik};${household.headName}\n`, 'text/csv');
    await stack.upload('/v1/cohorts', `[{"nik": "${household.headNik}", "nama": "${household.headName}"`, 'application/json');
    await stack.call('POST', '/v1/rollouts/preview', { cohortId: imported.body.cohortId, programId: 'graduation' });
    const cohortRollout = uniqueRolloutId('logs');
    await stack.call('POST', '/v1/rollouts', { rolloutId: cohortRollout, cohortId: imported.body.cohortId, programId: 'graduation', pace: { watchEvery: '1 second' } });
    await waitForState(stack, `run:${cohortRollout}:${cohortPerson.familyCardNumber}`, (st) => st.steps[0]!.status !== 'pending');
    await stack.call('POST', `/v1/rollouts/${cohortRollout}/pause`, { reason: 'logs test' });
    await stack.text(`/v1/rollouts/${cohortRollout}/report.csv`);
  }, 120_000);
  afterAll(() => stack?.close());

  it('captured the logs of every component', () => {
    const services = new Set(logs.lines.map((l) => (JSON.parse(l) as { service?: string }).service));
    expect([...services].sort()).toEqual(['api', 'simulators', 'temporal-sdk']);
    expect(logs.lines.length).toBeGreaterThan(50);
  });

  it('has no NIK, name, phone or e-mail in any line', () => {
    for (const h of [household, rejected, { headNik: cohortNik }]) {
      for (const value of [h.headNik, 'headName' in h && h.headName, 'phone' in h && h.phone, 'email' in h && h.email].filter(Boolean) as string[]) {
        expect(logs.lines.filter((l) => l.includes(value))).toEqual([]);
      }
    }
  });

  it('has no secret or credential in any line', () => {
    const secrets = [
      ...Object.values(stack.webhookSecrets).flat(),
      ...Object.values(stack.endpoints).flatMap((e) => [e.requestSecret, ...Object.values(e.credentials)]),
      apiKeyOf('coordinator'),
      apiKeyOf('viewer'),
      apiKeyOf('manager'),
      `${apiKeyOf('manager')}-typo`,
      session.cookie.split('=')[1]!,
      session.csrfToken,
    ];
    expect(session.cookie).toMatch(/^sinergi_session=.{20,}/);
    for (const secret of secrets) expect(logs.lines.filter((l) => l.includes(secret))).toEqual([]);
  });
});
