import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { graduationPlanV1 } from '../../domain/plans/graduation';
import { eventually } from '../../dev/http';
import { makeHousehold, uniqueRolloutId } from '../helpers/households';
import { getRun, shortPlan, startRun, stepIs, waitForState } from '../helpers/runs';
import { startStack, type Stack } from '../../dev/stack';

// Room between the reminder (at 4 s) and the breach (8 s) for a busy worker: the first test reads the step not yet stuck.
const plan = shortPlan(graduationPlanV1, { aid: { sla: 'PT8S', reminderShare: 0.5, escalateAfter: 'PT3S' } });

describe('SLA reminders, stuck alerts and escalation by e-mail', () => {
  let stack: Stack;
  let runId: string;
  let rolloutId: string;
  const household = makeHousehold({ region: '35.07.01.2001', headName: 'Sri Wahyuningsih', phone: '+6281398765432', email: 'sri.w@example.id' });
  /** The console's run page (the deep link /runs/:runId), where every notice points. */
  const consoleRun = () => `${stack.apiUrl}/runs/${encodeURIComponent(runId)}`;
  const mailTo = (address: string) => stack.mailSink.messages().filter((m) => m.to.includes(address) && m.text.includes(runId.split(':')[2]!));

  beforeAll(async () => {
    stack = await startStack({ temporalAddress: inject('temporalAddress') });
    await stack.sims.control.kemensos.setBehaviour({ silent: true });
    rolloutId = uniqueRolloutId('sla-mail');
    runId = await startRun(stack, rolloutId, household, plan);
  });
  afterAll(() => stack?.close());

  it("reminds the agency's focal point before the deadline, while the step is not yet stuck", async () => {
    const [reminder] = await eventually(async () => (mailTo('focal.kemensos@sinergi.test').length ? mailTo('focal.kemensos@sinergi.test') : undefined), 10_000);
    // Sortable: rank and kind, regency, agency, step, the deadline's day in the region's zone, rollout.
    expect(reminder!.subject).toMatch(new RegExp(`^\\[Sinergi\\] 3 Pengingat · 35\\.07 · kemensos · aid · tenggat \\d{4}-\\d{2}-\\d{2} · ${rolloutId}$`));
    expect(reminder!.text).toMatch(/^Pengingat: tahap "Penyaluran bantuan sosial PKH" di kemensos mencapai tenggat dalam \d+ jam\n/);
    const { state } = await getRun(stack, runId);
    expect(state.steps[0]!.stuck).toBe(false);
    expect(mailTo('manager.3507@sinergi.test')).toEqual([]);
    expect(reminder!.text).toContain(`Alur keluarga: ${consoleRun()}\n`);
  });

  it('at the breach marks the step stuck and tells the regional manager, with what they need to act', async () => {
    await waitForState(stack, runId, (s) => s.steps[0]!.stuck);
    const [alert] = await eventually(async () => (mailTo('manager.3507@sinergi.test').length ? mailTo('manager.3507@sinergi.test') : undefined), 10_000);
    expect(alert!.subject).toMatch(new RegExp(`^\\[Sinergi\\] 2 Terhambat · 35\\.07 · kemensos · aid · tenggat \\d{4}-\\d{2}-\\d{2} · ${rolloutId}$`));
    const facts = [
      `Pelaksanaan program: ${rolloutId}`,
      'Wilayah: 35.07.01.2001',
      'Tahap: Penyaluran bantuan sosial PKH (aid)',
      'Jenis tahap: penyaluran bantuan sosial',
      'Instansi: kemensos',
      'Jumlah: Rp\u00a0750.000',
      'Keterlambatan: 0 hari',
      `Alur keluarga: ${consoleRun()}`,
    ];
    for (const fact of facts) expect(alert!.text).toContain(`${fact}\n`);
    // East Java is on WIB; the deadline reads as people there read a time.
    expect(alert!.text).toMatch(/\nTenggat: \d{1,2} [A-Z][a-z]+ \d{4}, \d{2}\.\d{2} WIB\n/);
    // The link opens the run's page in the console, not the API's JSON.
    expect(alert!.html).toContain(`<a href="${consoleRun()}">`);
    expect(alert!.text).not.toContain('/v1/');
    expect(alert!.to.sort()).toEqual(['focal.kemensos@sinergi.test', 'manager.3507@sinergi.test']);
  });

  it('escalates one level up when the step stays stuck, and records every notice in the run', async () => {
    const [escalation] = await eventually(async () => (mailTo('province.35@sinergi.test').length ? mailTo('province.35@sinergi.test') : undefined), 15_000);
    // The province reads English; the regional manager, on the same escalation, Indonesian.
    expect(escalation!.to).toEqual(['province.35@sinergi.test']);
    expect(escalation!.subject).toMatch(new RegExp(`^\\[Sinergi\\] 1 Escalation · 35\\.07 · kemensos · aid · deadline \\d{4}-\\d{2}-\\d{2} · ${rolloutId}$`));
    expect(escalation!.text).toContain('Amount: Rp\u00a0750.000\n');
    // The plan's step title in the reader's language.
    expect(escalation!.text).toContain(': PKH cash aid disbursement (aid)\n');
    expect(escalation!.text).toMatch(/\nDeadline: \d{1,2} [A-Z][a-z]+ \d{4}, \d{2}:\d{2} WIB\n/);
    expect(escalation!.html).toContain(`<a href="${consoleRun()}">`);
    const managerEscalation = mailTo('manager.3507@sinergi.test').find((m) => m.subject.startsWith('[Sinergi] 1 Eskalasi · '));
    expect(managerEscalation?.to).toEqual(['manager.3507@sinergi.test']);
    expect(managerEscalation?.text).toContain(': Penyaluran bantuan sosial PKH (aid)\n');
    // The mail is sent before the activity ends; the notice is written by the run's next task after it.
    const state = await waitForState(stack, runId, (s) => (s.steps[0]!.attempts[0]!.notices?.length ?? 0) >= 3, 20_000);
    expect(state.steps[0]!.attempts[0]!.notices?.map((n) => [n.kind, n.recipients])).toEqual([
      ['reminder', 1],
      ['breach', 2],
      ['escalation', 2],
    ]);
    // Nothing more once every notice is out; the agency's outcome ends the wait.
    const res = await stack.webhook('kemensos', 'msg_sla_done', { type: 'task.completed', timestamp: new Date().toISOString(), data: { taskId: state.steps[0]!.taskId, result: { amount: 1, transferReference: 'T' } } });
    expect(res.status).toBe(200);
    const after = await waitForState(stack, runId, stepIs('aid', 'completed'));
    expect(after.steps[0]!.stuck).toBe(false);
    expect(mailTo('focal.kemensos@sinergi.test')).toHaveLength(2);
  });

  it('names no household member in any e-mail', () => {
    const mails = stack.mailSink.messages().filter((m) => m.text.includes(runId.split(':')[2]!));
    expect(mails.length).toBeGreaterThanOrEqual(4);
    for (const value of [household.headNik, household.headName, household.phone!, household.email!]) {
      expect(mails.filter((m) => [m.subject, m.text, m.html].some((part) => part.includes(value)))).toEqual([]);
    }
  });
});

describe('when e-mail cannot be sent', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ temporalAddress: inject('temporalAddress'), smtpUrl: 'smtp://127.0.0.1:9' });
    await stack.sims.control.kemensos.setBehaviour({ silent: true });
  });
  afterAll(() => stack?.close());

  it('records the failed notice after retries and the run carries on', async () => {
    const runId = await startRun(stack, uniqueRolloutId('sla-nomail'), makeHousehold({ region: '35.07.01.2001' }), shortPlan(graduationPlanV1, { aid: { sla: 'PT60S', reminderShare: 0.1 } }));
    const state = await waitForState(stack, runId, (s) => (s.steps[0]!.attempts[0]?.notices?.length ?? 0) > 0, 60_000);
    expect(state.steps[0]!.attempts[0]!.notices).toEqual([expect.objectContaining({ kind: 'reminder', error: expect.stringMatching(/ECONNREFUSED|connect/i) })]);
    const taskId = state.steps[0]!.taskId!;
    await stack.webhook('kemensos', 'msg_nomail_done', { type: 'task.completed', timestamp: new Date().toISOString(), data: { taskId, result: { amount: 1, transferReference: 'T' } } });
    await waitForState(stack, runId, stepIs('training', 'completed'));
  });
});
