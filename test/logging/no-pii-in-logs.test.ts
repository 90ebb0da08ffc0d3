import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { makeHousehold, uniqueRolloutId } from '../helpers/households';
import { cohortCsv, cohortHousehold } from '../helpers/cohorts';
import { eventually, httpJson } from '../../dev/http';
import type { ReceivedMail } from '../../dev/mail-sink/start-mail-sink';
import { ended, runIdFor, shortPlan, startRun, stepIs, waitForState } from '../helpers/runs';
import { startStack, type Stack } from '../../dev/stack';
import { apiKeyOf, newSecret, testContacts } from '../../dev/stack-credentials';
import { graduationPlanV1 } from '../../domain/plans/graduation';
import { maskedNik } from '../../domain/nik';

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
  // In regency 35.07, whose manager hears of its stuck steps by e-mail.
  const mailed = makeHousehold({ region: '35.07.01.2001', headName: 'Yuliana Pratiwi', phone: '+6281255556666', email: 'yuliana.p@example.id' });
  // Typed by a person, naming someone: kept sealed in the audit, never logged.
  const exportReason = `Verifikasi alamat ${household.headName} oleh pendamping desa`;
  const recipients = [...new Set([...Object.values(testContacts.focalPoints).flat(), ...testContacts.managers, ...testContacts.escalation].map((p) => p.email))];
  let mails: ReceivedMail[] = [];
  const reports = { masked: '', full: '', rolloutId: '' };

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
    // Its first visit goes unanswered past a two-second deadline: e-mails to the focal point and the manager.
    const mailRollout = uniqueRolloutId('logs-mail');
    await startRun(stack, mailRollout, mailed, shortPlan(graduationPlanV1, { 'follow-up-1': { sla: 'PT2S' } }));
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
    await waitForState(stack, runIdFor(cohortRollout, cohortPerson), (st) => st.steps[0]!.status !== 'pending');
    await stack.call('POST', `/v1/rollouts/${cohortRollout}/pause`, { reason: 'logs test' });
    reports.rolloutId = cohortRollout;
    reports.masked = (await stack.text(`/v1/rollouts/${cohortRollout}/report.csv`)).text;
    reports.full = (await stack.text(`/v1/rollouts/${cohortRollout}/report-with-personal-data.csv?reason=${encodeURIComponent(exportReason)}`, 'manager')).text;

    mails = await eventually(async () => {
      const breach = stack.mailSink.messages().filter((m) => m.text.includes(mailRollout) && m.to.includes('manager.3507@sinergi.test'));
      return breach.length ? stack.mailSink.messages() : undefined;
    }, 60_000, 'the stuck-step e-mail to the manager of 35.07');
  }, 150_000);
  afterAll(() => stack?.close());

  it('captured the logs of every component', () => {
    const services = new Set(logs.lines.map((l) => (JSON.parse(l) as { service?: string }).service));
    expect([...services].sort()).toEqual(['api', 'simulators', 'temporal-sdk']);
    expect(logs.lines.length).toBeGreaterThan(50);
  });

  it('has no NIK, name, phone or e-mail in any line', () => {
    for (const h of [household, rejected, mailed, { headNik: cohortNik }]) {
      for (const value of [h.headNik, 'headName' in h && h.headName, 'phone' in h && h.phone, 'email' in h && h.email].filter(Boolean) as string[]) {
        expect(logs.lines.filter((l) => l.includes(value))).toEqual([]);
      }
    }
  });

  it("names no recipient of the e-mails it sent, nor the households they are about", () => {
    // The search finds what is there: the messages went out to these addresses, and the sending was logged.
    const sentTo = new Set(mails.flatMap((m) => m.to));
    expect([...sentTo]).toEqual(expect.arrayContaining(['manager.3507@sinergi.test', 'focal.pemda@sinergi.test']));
    expect(logs.lines.filter((l) => l.includes('notifySla')).length).toBeGreaterThan(0);
    for (const address of recipients) expect(logs.lines.filter((l) => l.includes(address)), address).toEqual([]);
    for (const value of [mailed.headNik, mailed.headName, mailed.phone!, mailed.email!]) expect(logs.lines.filter((l) => l.includes(value)), value).toEqual([]);
  });

  it('logs the default report not at all by name, and an export with personal data as who, role, rollout and rows, without the reason', () => {
    // What was downloaded: the masked NIK by default, the full one with a reason.
    expect(reports.masked).toContain(maskedNik(cohortNik));
    expect(reports.masked).not.toContain(cohortNik);
    expect(reports.full).toContain(cohortNik);
    const exported = logs.lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.audit === 'report-exported');
    expect(exported).toEqual(
      expect.arrayContaining([expect.objectContaining({ principal: 'test-manager', role: 'manager', rolloutId: reports.rolloutId, rows: reports.full.trim().split('\n').length - 1, time: expect.any(Number) })]),
    );
    for (const line of exported) expect(line).not.toHaveProperty('reason');
    for (const value of [exportReason, 'pendamping desa', cohortNik]) expect(logs.lines.filter((l) => l.includes(value)), value).toEqual([]);
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
