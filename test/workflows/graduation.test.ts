import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { visitCourseOf, relapsesAfterGraduation, type VisitCourse } from '../../agencies/visit-findings';
import type { Household } from '../../domain/household';
import { graduationPlan } from '../../domain/plans/graduation';
import { graduationCriteria } from '../../domain/plans/graduation-criteria';
import type { ProgramPlan } from '../../domain/program-plan';
import { startStack, type Stack } from '../../dev/stack';
import { eventually } from '../../dev/http';
import { scoreBand } from '../../domain/graduation';
import { visibilityPage } from '../../temporal/visibility/run-page';
import { makeHousehold, uniqueRolloutId } from '../helpers/households';
import { ended, getRun, shortPlan, startRun, waitForState } from '../helpers/runs';

/** The shipped steps with the shipped criteria, seconds instead of days and months. */
const plan: ProgramPlan = { ...shortPlan(graduationPlan), graduation: { ...graduationCriteria, afterGraduation: ['PT2S'] } };
const planned = plan.steps.map((s) => s.key);

/** A household whose visits take this course (pemda's simulator decides by a hash of the KK). */
function householdOn(course: VisitCourse, relapses = false): Household {
  for (;;) {
    const household = makeHousehold({ welfareStatus: 'poor' });
    if (visitCourseOf(household.familyCardNumber) === course && relapsesAfterGraduation(household.familyCardNumber) === relapses) return household;
  }
}

describe('graduation decided by criteria', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ temporalAddress: inject('temporalAddress'), delayMs: 20 });
  });
  afterAll(() => stack?.close());

  it('graduates a household ready at the last planned visit, one rung up, then visits it after graduation', async () => {
    const runId = await startRun(stack, uniqueRolloutId('graduates'), householdOn('ready'), plan);
    const state = await waitForState(stack, runId, ended, 90_000);

    expect(state.status).toBe('completed');
    expect(state.steps.map((s) => [s.key, s.status])).toEqual([...planned, 'after-graduation-1'].map((key) => [key, 'completed']));
    const g = state.graduation!;
    // Each completed visit's findings are kept: three planned, one after graduation.
    expect(g.evidence.map((e) => e.stepKey)).toEqual(['follow-up-1', 'follow-up-2', 'follow-up-3', 'after-graduation-1']);
    expect(Object.keys(g.evidence[2]!.indicators).sort()).toEqual(graduationCriteria.criteria.map((c) => c.key).sort());
    expect(g.assessments.map((a) => [a.stepKey, a.decision, a.relapsed])).toEqual([
      ['follow-up-3', 'graduate', undefined],
      ['after-graduation-1', undefined, false],
    ]);
    expect(g.assessments[0]!.score).toBeGreaterThanOrEqual(graduationCriteria.readinessThreshold);
    expect(g).toMatchObject({ outcome: 'graduated', extensionsUsed: 0, decidedAt: expect.any(String) });
    expect(g.relapsedAt).toBeUndefined();
    expect(state.welfareStatus).toEqual({ before: 'poor', current: 'vulnerable' });
    // What a rollout counts, from visibility alone.
    const facts = await eventually(async () => {
      const page = await visibilityPage(stack.client, 'default', `WorkflowId = '${runId}'`, 1);
      return page.runs[0]?.welfare.includes('graduation:graduated') ? page.runs[0].welfare : undefined;
    }, 20_000, 'graduation facts in visibility');
    expect(facts).toEqual(expect.arrayContaining(['before:poor', 'after:vulnerable', 'received:aid-disbursement', 'received:micro-capital', `score:${scoreBand(g.assessments[0]!.score)}`, 'met:meals', 'met:business']));
    expect(facts).not.toContain('graduation:extended');
    // The visit after graduation waited for its time.
    const after = state.steps.at(-1)!;
    expect(Date.parse(after.startedAt!)).toBeGreaterThanOrEqual(Date.parse(after.notBefore!));
  });

  it('extends a household not ready at the last planned visit, then graduates it after the extension', async () => {
    const runId = await startRun(stack, uniqueRolloutId('extended'), householdOn('ready-after-extension'), plan);
    const state = await waitForState(stack, runId, ended, 90_000);

    expect(state.steps.map((s) => s.key)).toEqual([...planned, 'extension-1-visit-1', 'extension-1-visit-2', 'after-graduation-1']);
    const g = state.graduation!;
    expect(g.assessments.map((a) => a.decision).filter(Boolean)).toEqual(['extend', 'graduate']);
    // Not ready: a mandatory criterion (meals, business) unmet at the last planned visit.
    expect(g.assessments[0]!.mandatoryMet).toBe(false);
    expect(g).toMatchObject({ outcome: 'graduated', extensionsUsed: 1 });
    expect(state.welfareStatus.current).toBe('vulnerable');
  });

  it('exits a household still not ready when its extensions are used up, its welfare status unchanged', async () => {
    const runId = await startRun(stack, uniqueRolloutId('exits'), householdOn('not-ready'), plan);
    const state = await waitForState(stack, runId, ended, 90_000);

    expect(state.status).toBe('completed');
    const g = state.graduation!;
    expect(g.assessments.map((a) => a.decision)).toEqual(['extend', 'exit']);
    expect(g).toMatchObject({ outcome: 'exited', extensionsUsed: 1 });
    expect(state.steps.some((s) => s.key.startsWith('after-graduation'))).toBe(false);
    expect(state.welfareStatus).toEqual({ before: 'poor', current: 'poor' });
  });

  it('records a relapse found after graduation and moves the welfare status back one rung', async () => {
    const runId = await startRun(stack, uniqueRolloutId('relapse'), householdOn('ready', true), plan);
    const state = await waitForState(stack, runId, ended, 90_000);

    const g = state.graduation!;
    expect(g.outcome).toBe('graduated');
    expect(g.assessments.at(-1)).toMatchObject({ stepKey: 'after-graduation-1', relapsed: true });
    expect(g.relapsedAt).toEqual(expect.any(String));
    expect(state.welfareStatus).toEqual({ before: 'poor', current: 'poor' });
  });

  it("waits for a manager's decision where the plan asks for one: stuck after its SLA, then decided with who and why", async () => {
    const approved: ProgramPlan = { ...plan, graduation: { ...plan.graduation!, approval: { required: true, sla: 'PT2S' } } };
    const runId = await startRun(stack, uniqueRolloutId('approval'), householdOn('ready'), approved);
    const awaiting = await waitForState(stack, runId, (s) => s.graduation?.assessments[0]?.proposed !== undefined, 60_000);
    expect(awaiting.graduation!.assessments[0]).toMatchObject({ proposed: 'graduate', options: ['graduate', 'extend', 'exit'], approvalDeadline: expect.any(String) });
    expect(awaiting.graduation!.assessments[0]!.decision).toBeUndefined();
    expect(awaiting.welfareStatus.current).toBe('poor');
    // Past the approval SLA the run is listed with the stuck steps, at its graduation decision.
    const stuck = await eventually(async () => {
      const res = await stack.call('GET', `/v1/stuck?rollout=${awaiting.rolloutId}`, undefined, 'manager');
      return res.body.items?.find((i: { runId: string }) => i.runId === runId);
    }, 30_000, 'the decision listed as stuck');
    expect(stuck).toMatchObject({ step: 'graduation-decision' });

    const path = `/v1/runs/${encodeURIComponent(runId)}/graduation/decision`;
    expect((await stack.call('POST', path, { decision: 'graduate', reason: 'checked the evidence' }, 'viewer')).status).toBe(403);
    const missingReason = await stack.call('POST', path, { decision: 'graduate' }, 'manager');
    expect(missingReason.status).toBe(400);
    expect(JSON.stringify(missingReason.body)).toContain('body.reason');
    const decided = await stack.call('POST', path, { decision: 'graduate', reason: 'savings and business confirmed on site' }, 'manager');
    expect(decided.status).toBe(200);
    expect(decided.body.operation).toMatchObject({ op: 'decide-graduation', detail: 'graduate', actor: 'test-manager', reason: 'savings and business confirmed on site' });
    // Only one decision: a second is refused.
    expect((await stack.call('POST', path, { decision: 'exit', reason: 'changed my mind' }, 'manager')).status).toBe(409);

    const state = await waitForState(stack, runId, ended, 60_000);
    expect(state.graduation!.assessments[0]).toMatchObject({ proposed: 'graduate', decision: 'graduate', decidedBy: 'test-manager' });
    expect(state.graduation!.outcome).toBe('graduated');
    expect(state.welfareStatus.current).toBe('vulnerable');
  });

  it('sends the visit the indicators to report, and refuses a visit report that leaves one out, naming it', async () => {
    await stack.sims.control.pemda.setBehaviour({ silent: true });
    try {
      const runId = await startRun(stack, uniqueRolloutId('form'), householdOn('ready'), plan);
      const open = await waitForState(stack, runId, (s) => s.steps.find((st) => st.key === 'follow-up-1')?.status === 'open', 60_000);
      const taskId = open.steps.find((s) => s.key === 'follow-up-1')!.taskId!;
      const request = await stack.call('GET', `/v1/agencies/pemda/tasks/${encodeURIComponent(taskId)}`, undefined, 'pemda');
      expect(request.status).toBe(200);
      expect(request.body.visit.phase).toBe('planned');
      expect(request.body.visit.report.map((i: { key: string }) => i.key)).toEqual(graduationCriteria.criteria.map((c) => c.key));

      const { savings: _left, ...partial } = { meals: 0, savings: 600_000, 'income-sources': 2, 'children-in-school': true, business: 'running', jkn: true };
      const refused = await stack.webhook('pemda', `msg_partial_${Date.now()}`, { type: 'task.completed', timestamp: new Date().toISOString(), data: { taskId, result: { indicators: { ...partial, business: 'sold' } } } });
      expect(refused.status).toBe(422);
      expect(JSON.stringify(refused.body)).toContain('result.indicators.savings');
      expect(JSON.stringify(refused.body)).toContain('result.indicators.business');
      expect((await getRun(stack, runId)).state.steps.find((s) => s.key === 'follow-up-1')!.status).toBe('open');
    } finally {
      await stack.sims.control.pemda.setBehaviour({ silent: false });
    }
  });
});
