import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { relapsesAfterGraduation, visitCourseOf } from '../../agencies/visit-findings';
import { calendarForRunStartingAt } from '../../config/holiday-files';
import { slaEmail } from '../../activities/notifications/sla-email';
import { eventually } from '../../dev/http';
import { startStack, type Stack } from '../../dev/stack';
import { assessForDecision, decisionOverdueNotice } from '../../domain/graduation-run';
import type { Household } from '../../domain/household';
import { graduationPlan } from '../../domain/plans/graduation';
import { graduationCriteria } from '../../domain/plans/graduation-criteria';
import type { ProgramPlan } from '../../domain/program-plan';
import { initialRunState, runClockOf, stepDeadline } from '../../domain/run-machine';
import { makeHousehold, uniqueRolloutId } from '../helpers/households';
import { ended, shortPlan, startRun, waitForState } from '../helpers/runs';

type Approval = NonNullable<ProgramPlan['graduation']>['approval'];

/** The shipped steps in seconds, and the shipped criteria with this approval; no visits after graduation. */
const approvalPlan = (approval: Approval): ProgramPlan => ({
  ...shortPlan(graduationPlan),
  graduation: { ...graduationCriteria, approval, afterGraduation: [] },
});

/** A household ready at the last planned visit (pemda's simulator decides by a hash of the KK), so the score proposes to graduate it. */
function readyHousehold(region: string): Household {
  for (;;) {
    const household = makeHousehold({ welfareStatus: 'poor', region });
    if (visitCourseOf(household.familyCardNumber) === 'ready' && !relapsesAfterGraduation(household.familyCardNumber)) return household;
  }
}

describe('the approval deadline of a graduation decision, counted like a step deadline', () => {
  // Thursday 2 April 2026, 10.00 WIB (12.00 WIT): Friday 3 April is Good Friday, a national holiday.
  const thursday = new Date('2026-04-02T03:00:00.000Z');
  const plan = approvalPlan({ ...graduationCriteria.approval, required: true });
  const calendar = calendarForRunStartingAt(thursday);
  /** What the run does after its last planned visit: the approval SLA counted by its clock, then the assessment. */
  const assessedIn = (region: string) => {
    const household = makeHousehold({ region });
    const state = initialRunState({ runId: `run:approval-unit:${household.familyCardNumber}`, rolloutId: 'approval-unit', household, plan }, thursday);
    const { approval } = plan.graduation!;
    const due = stepDeadline({ sla: approval.sla, slaDays: approval.slaDays ?? 'calendar' }, thursday, runClockOf({ household, calendar }));
    return { state, entry: assessForDecision(state, plan, thursday, due) };
  };

  it('ships P5D in working days', () => {
    expect(graduationCriteria.approval).toEqual({ required: false, sla: 'P5D', slaDays: 'working' });
  });

  it.each([
    // Friday 3 April off; Monday 6 to Friday 10 April are the five working days; Friday closes at 16.30 local time.
    ['35.07.01.2001', 'WIB', '2026-04-10T09:30:00.000Z'],
    ['91.01.01.2001', 'WIT', '2026-04-10T07:30:00.000Z'],
  ])('from a Thursday before Good Friday ends at Friday office closing a week later in %s (%s)', (region, zone, deadline) => {
    const { entry } = assessedIn(region);
    expect(entry.approvalDeadline).toBe(deadline);
    expect(entry.approvalDeadlineBasis).toEqual({ days: 'working', zone });
    // Five calendar days would have ended on Tuesday 7 April.
    expect(Date.parse(entry.approvalDeadline!) - thursday.getTime()).toBeGreaterThan(7 * 86_400_000);
    expect(entry.decision).toBeUndefined();
  });

  it("shows that deadline in the region's zone, counted in working days, in the overdue e-mail of either language", () => {
    const { state, entry } = assessedIn('91.01.01.2001');
    const notice = decisionOverdueNotice(state, plan, entry);
    const lateBy = new Date('2026-04-13T01:00:00.000Z');
    const id = slaEmail(notice, 'https://sinergi.test/runs/x', lateBy, 'id');
    expect(id.text).toContain('\nTenggat: 10 April 2026, 16.30 WIT (dihitung dalam hari kerja)\n');
    expect(id.subject).toBe('[Sinergi] 2 Keputusan terlambat · 91.01 · graduation-decision · tenggat 2026-04-10 · approval-unit');
    const en = slaEmail(notice, 'https://sinergi.test/runs/x', lateBy, 'en');
    expect(en.text).toContain('\nDeadline: 10 April 2026, 16:30 WIT (counted in working days)\n');
    expect(en.text).toContain('\nOverdue: 2 days\n');
  });
});

describe('a graduation decision past its approval deadline', () => {
  let stack: Stack;
  const region = '35.07.01.2001';
  const manager = 'manager.3507@sinergi.test';
  const overdueMails = (runId: string) =>
    stack.mailSink.messages().filter((m) => m.subject.startsWith('[Sinergi] 2 Keputusan terlambat') && m.text.includes(encodeURIComponent(runId)));

  beforeAll(async () => {
    stack = await startStack({ temporalAddress: inject('temporalAddress'), delayMs: 20 });
  });
  afterAll(() => stack?.close());

  it("is stuck, tells the region's manager once, in Bahasa Indonesia with the score and the run's link, then goes on with the manager's decision", async () => {
    const rolloutId = uniqueRolloutId('approval-overdue');
    const runId = await startRun(stack, rolloutId, readyHousehold(region), approvalPlan({ required: true, sla: 'PT3S' }));
    const consoleRun = `${stack.apiUrl}/runs/${encodeURIComponent(runId)}`;

    const awaiting = await waitForState(stack, runId, (s) => s.graduation?.assessments[0]?.proposed !== undefined, 60_000);
    const assessment = awaiting.graduation!.assessments[0]!;
    expect(assessment).toMatchObject({ proposed: 'graduate', approvalDeadline: expect.any(String), approvalDeadlineBasis: { days: 'calendar', zone: 'WIB' } });
    expect(Date.parse(assessment.approvalDeadline!) - Date.parse(assessment.at)).toBe(3_000);

    // Past the deadline: listed with the stuck steps, and the notice recorded on the assessment.
    const stuck = await eventually(async () => {
      const res = await stack.call('GET', `/v1/stuck?rollout=${rolloutId}`, undefined, 'manager');
      return res.body.items?.find((i: { runId: string }) => i.runId === runId);
    }, 30_000, 'the decision listed as stuck');
    expect(stuck).toMatchObject({ step: 'graduation-decision' });
    const noticed = await waitForState(stack, runId, (s) => (s.graduation?.assessments[0]?.notices?.length ?? 0) > 0, 30_000);
    expect(noticed.graduation!.assessments[0]!.notices).toEqual([{ kind: 'decision-overdue', at: expect.any(String), recipients: 1 }]);
    expect(noticed.graduation!.assessments[0]!.decision).toBeUndefined();
    expect(noticed.status).toBe('running');

    const [mail] = await eventually(async () => (overdueMails(runId).length ? overdueMails(runId) : undefined), 10_000, 'the overdue e-mail');
    expect(mail!.to).toEqual([manager]);
    expect(mail!.subject).toMatch(new RegExp(`^\\[Sinergi\\] 2 Keputusan terlambat · 35\\.07 · graduation-decision · tenggat \\d{4}-\\d{2}-\\d{2} · ${rolloutId}$`));
    expect(mail!.text).toMatch(/^Keputusan graduasi lewat tenggat: usulan "lulus graduasi" menunggu keputusan pengelola program\n/);
    const score = new Intl.NumberFormat('id-ID').format(assessment.score);
    for (const fact of [
      `Pelaksanaan program: ${rolloutId}`,
      `Wilayah: ${region}`,
      'Tahap: Keputusan graduasi (graduation-decision)',
      'Usulan keputusan: lulus graduasi',
      'Pilihan keputusan: lulus graduasi, diperpanjang, keluar',
      `Skor kesiapan: ${score} dari 100 (ambang kelulusan 70)`,
      'Kriteria wajib: semua terpenuhi',
      'Dinilai setelah kunjungan: follow-up-3',
      'Keterlambatan: 0 hari',
      `Alur keluarga: ${consoleRun}`,
    ]) {
      expect(mail!.text).toContain(`${fact}\n`);
    }
    expect(mail!.text).toMatch(/\nTenggat: \d{1,2} [A-Z][a-z]+ \d{4}, \d{2}\.\d{2} WIB\n/);
    expect(mail!.html).toContain(`<a href="${consoleRun}">`);
    expect(mail!.text).not.toContain('/v1/');

    // The manager decides: the wait ends and the run goes on to its end.
    const decided = await stack.call('POST', `/v1/runs/${encodeURIComponent(runId)}/graduation/decision`, { decision: 'graduate', reason: 'evidence checked after the reminder' }, 'manager');
    expect(decided.status).toBe(200);
    const state = await waitForState(stack, runId, ended, 60_000);
    expect(state.status).toBe('completed');
    expect(state.graduation!.assessments[0]).toMatchObject({ proposed: 'graduate', decision: 'graduate', decidedBy: 'test-manager' });
    expect(state.graduation!.assessments[0]!.notices).toHaveLength(1);
    expect(state.graduation!.outcome).toBe('graduated');
    expect(state.welfareStatus).toEqual({ before: 'poor', current: 'vulnerable' });
    expect(overdueMails(runId)).toHaveLength(1);
    const unstuck = await eventually(async () => {
      const res = await stack.call('GET', `/v1/stuck?rollout=${rolloutId}`, undefined, 'manager');
      return res.body.items?.some((i: { runId: string }) => i.runId === runId) ? undefined : true;
    }, 30_000, 'the decision no longer stuck');
    expect(unstuck).toBe(true);
  });

  it('sends nothing when the manager decides before the deadline', async () => {
    const runId = await startRun(stack, uniqueRolloutId('approval-in-time'), readyHousehold(region), approvalPlan({ required: true, sla: 'PT1M' }));
    await waitForState(stack, runId, (s) => s.graduation?.assessments[0]?.proposed !== undefined, 60_000);
    const decided = await stack.call('POST', `/v1/runs/${encodeURIComponent(runId)}/graduation/decision`, { decision: 'exit', reason: 'moved out of the programme area' }, 'manager');
    expect(decided.status).toBe(200);
    const state = await waitForState(stack, runId, ended, 60_000);
    expect(state.graduation!.assessments[0]).toMatchObject({ proposed: 'graduate', decision: 'exit' });
    expect(state.graduation!.assessments[0]!.notices).toBeUndefined();
    expect(overdueMails(runId)).toEqual([]);
  });
});

describe('a graduation decision overdue when e-mail cannot be sent', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ temporalAddress: inject('temporalAddress'), delayMs: 20, smtpUrl: 'smtp://127.0.0.1:9' });
  });
  afterAll(() => stack?.close());

  it('records the failed notice after retries, and the decision still ends the wait', async () => {
    const runId = await startRun(stack, uniqueRolloutId('approval-nomail'), readyHousehold('35.07.01.2001'), approvalPlan({ required: true, sla: 'PT2S' }));
    const noticed = await waitForState(stack, runId, (s) => (s.graduation?.assessments[0]?.notices?.length ?? 0) > 0, 90_000);
    expect(noticed.graduation!.assessments[0]!.notices).toEqual([expect.objectContaining({ kind: 'decision-overdue', error: expect.stringMatching(/ECONNREFUSED|connect/i) })]);
    expect(noticed.status).toBe('running');
    const decided = await stack.call('POST', `/v1/runs/${encodeURIComponent(runId)}/graduation/decision`, { decision: 'graduate', reason: 'checked on site' }, 'manager');
    expect(decided.status).toBe(200);
    const state = await waitForState(stack, runId, ended, 60_000);
    expect(state.status).toBe('completed');
    expect(state.graduation!.outcome).toBe('graduated');
  }, 150_000);
});
