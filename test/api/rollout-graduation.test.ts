import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { relapsesAfterGraduation, visitCourseOf, type VisitCourse } from '../../agencies/visit-findings';
import { eventually } from '../../dev/http';
import { startStack, type Stack } from '../../dev/stack';
import { scoreBand, scoreBands } from '../../domain/graduation';
import type { Household } from '../../domain/household';
import { graduationPlanV1 } from '../../domain/plans/graduation';
import { graduationCriteria } from '../../domain/plans/graduation-criteria';
import type { ProgramPlan } from '../../domain/program-plan';
import type { RunState } from '../../domain/run-state';
import { cohortHousehold, importCohort } from '../helpers/cohorts';
import { uniqueRolloutId } from '../helpers/households';
import { getRun, runIdFor, shortPlan } from '../helpers/runs';

/** A cohort household in this region whose visits take this course (pemda's simulator decides by a hash of the KK). */
function householdOn(course: VisitCourse, relapses: boolean, region: string): Household {
  for (;;) {
    const household = cohortHousehold({ region });
    if (visitCourseOf(household.familyCardNumber) === course && relapsesAfterGraduation(household.familyCardNumber) === relapses) return household;
  }
}

const criterionKeys = graduationCriteria.criteria.map((c) => c.key);

/** What a rollout should count for these runs, from each run's own state (the latest decision's score and criteria met). */
function expectedCounts(states: readonly RunState[]) {
  const latest = (s: RunState) => s.graduation?.assessments.filter((a) => a.decision).at(-1);
  const decided = states.filter((s) => latest(s));
  return {
    decided: decided.length,
    graduated: states.filter((s) => s.graduation?.outcome === 'graduated').length,
    extended: states.filter((s) => (s.graduation?.extensionsUsed ?? 0) > 0).length,
    exited: states.filter((s) => s.graduation?.outcome === 'exited').length,
    relapsed: states.filter((s) => s.graduation?.relapsedAt).length,
    followingUp: states.filter((s) => s.graduation?.outcome === 'graduated' && s.status === 'running').length,
    scores: Object.fromEntries(scoreBands.map((band) => [band, decided.filter((s) => scoreBand(latest(s)!.score) === band).length])),
    criteriaMet: Object.fromEntries(criterionKeys.map((key) => [key, decided.filter((s) => latest(s)!.results.some((r) => r.key === key && r.met)).length])),
  };
}

describe('graduation in rollout progress, by regency, and in the report', () => {
  let stack: Stack;
  const programId = `grad-${Date.now().toString(36)}`;
  const rolloutId = uniqueRolloutId('grad-rollout');
  // Two in Jember (35.09) who graduate, one relapsing after; two in Banyuwangi (35.10), extended, then one graduates and one exits.
  const households = {
    ready: householdOn('ready', false, '35.09.01.2001'),
    relapses: householdOn('ready', true, '35.09.02.2003'),
    extended: householdOn('ready-after-extension', false, '35.10.01.2001'),
    exits: householdOn('not-ready', false, '35.10.03.2004'),
  };
  const states = new Map<keyof typeof households, RunState>();
  const progress = async () => (await stack.call('GET', `/v1/rollouts/${rolloutId}`, undefined, 'viewer')).body;
  const graduation = (query = '', id = rolloutId) => stack.call('GET', `/v1/rollouts/${id}/graduation${query}`, undefined, 'viewer');

  beforeAll(async () => {
    stack = await startStack({ temporalAddress: inject('temporalAddress'), delayMs: 20 });
    // The shipped steps and criteria, seconds instead of days and months.
    const plan: ProgramPlan = { ...shortPlan(graduationPlanV1), programId, version: 1, graduation: { ...graduationCriteria, afterGraduation: ['PT2S'] } };
    const published = await stack.call('POST', '/v1/programs', plan);
    expect(published.status, JSON.stringify(published.body)).toBe(201);
    const cohortId = await importCohort(stack, Object.values(households));
    const res = await stack.call('POST', '/v1/rollouts', { rolloutId, cohortId, programId, reason: 'uji graduasi' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    await eventually(async () => ((await progress()).runs?.completed === 4 ? true : undefined), 170_000, 'all four runs completed');
    for (const [name, h] of Object.entries(households) as [keyof typeof households, Household][]) {
      states.set(name, (await getRun(stack, runIdFor(rolloutId, h))).state);
    }
  }, 240_000);
  afterAll(() => stack?.close());

  it('the households took the courses chosen for them', () => {
    const course = (name: keyof typeof households) => {
      const g = states.get(name)!.graduation!;
      return [g.assessments.map((a) => a.decision ?? (a.relapsed ? 'relapsed' : 'held')), g.outcome, g.extensionsUsed];
    };
    expect(course('ready')).toEqual([['graduate', 'held'], 'graduated', 0]);
    expect(course('relapses')).toEqual([['graduate', 'relapsed'], 'graduated', 0]);
    expect(course('extended')).toEqual([['extend', 'graduate', 'held'], 'graduated', 1]);
    expect(course('exits')).toEqual([['extend', 'exit'], 'exited', 1]);
  });

  it('counts graduated, extended, exited, relapsed, score bands and criteria met in the progress, and lists the regencies', async () => {
    const all = expectedCounts([...states.values()]);
    // Known without the states: every graduate met every criterion at its decision (score 100).
    expect(all).toMatchObject({ decided: 4, graduated: 3, extended: 2, exited: 1, relapsed: 1 });
    expect(all.scores['90-100']).toBeGreaterThanOrEqual(3);
    const p = await progress();
    expect(p.graduation).toEqual(all);
    expect(p.regencies).toEqual([
      { regency: '35.09', households: 2 },
      { regency: '35.10', households: 2 },
    ]);
  });

  it('counts one regency with ?regency=, and nothing in a regency the rollout does not cover', async () => {
    const jember = await graduation('?regency=35.09');
    expect(jember.status).toBe(200);
    expect(jember.body).toEqual({ rolloutId, regency: '35.09', graduation: expectedCounts([states.get('ready')!, states.get('relapses')!]) });
    expect(jember.body.graduation).toMatchObject({ decided: 2, graduated: 2, extended: 0, exited: 0, relapsed: 1, scores: { '90-100': 2 }, criteriaMet: Object.fromEntries(criterionKeys.map((k) => [k, 2])) });

    const banyuwangi = await graduation('?regency=35.10');
    expect(banyuwangi.body).toEqual({ rolloutId, regency: '35.10', graduation: expectedCounts([states.get('extended')!, states.get('exits')!]) });
    expect(banyuwangi.body.graduation).toMatchObject({ decided: 2, graduated: 1, extended: 2, exited: 1, relapsed: 0 });

    const elsewhere = await graduation('?regency=35.11');
    expect(elsewhere.body).toEqual({ rolloutId, regency: '35.11', graduation: expectedCounts([]) });
    expect((await graduation('')).body).toEqual({ rolloutId, graduation: expectedCounts([...states.values()]) });
  });

  it('refuses a regency that is not a regency code, naming query.regency, and answers 404 for an unknown rollout', async () => {
    for (const regency of ['35', '35.09.01', "35.09' OR 'a'='a"]) {
      const res = await graduation(`?regency=${encodeURIComponent(regency)}`);
      expect(res.status, regency).toBe(400);
      expect(res.body.error.fields.map((f: { field: string }) => f.field)).toEqual(['query.regency']);
    }
    expect((await graduation('', uniqueRolloutId('no-such'))).status).toBe(404);
  });

  it('writes each run’s graduation into the report CSV beside the columns it had', async () => {
    const res = await stack.text(`/v1/rollouts/${rolloutId}/report.csv`);
    expect(res.status).toBe(200);
    const rows = parse(res.text, { bom: true, columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual([
      'family_card_number',
      'head_nik',
      'head_name',
      'region_code',
      'status',
      'current_step',
      'stuck',
      'welfare_before',
      'welfare_after',
      'graduation_outcome',
      'graduation_extended',
      'graduation_relapsed',
      'readiness_score_band',
      'criteria_met',
      'reason',
      'run_id',
    ]);
    const rowOf = (name: keyof typeof households) => rows.find((r) => r.family_card_number === households[name].familyCardNumber)!;
    const graduationOf = (name: keyof typeof households) => {
      const { graduation_outcome, graduation_extended, graduation_relapsed, readiness_score_band, criteria_met } = rowOf(name);
      return { graduation_outcome, graduation_extended, graduation_relapsed, readiness_score_band, criteria_met };
    };
    const allMet = criterionKeys.join(';');
    expect(graduationOf('ready')).toEqual({ graduation_outcome: 'graduated', graduation_extended: 'no', graduation_relapsed: 'no', readiness_score_band: '90-100', criteria_met: allMet });
    expect(graduationOf('relapses')).toEqual({ graduation_outcome: 'graduated', graduation_extended: 'no', graduation_relapsed: 'yes', readiness_score_band: '90-100', criteria_met: allMet });
    expect(graduationOf('extended')).toEqual({ graduation_outcome: 'graduated', graduation_extended: 'yes', graduation_relapsed: 'no', readiness_score_band: '90-100', criteria_met: allMet });
    const exit = states.get('exits')!.graduation!.assessments.at(-1)!;
    expect(graduationOf('exits')).toEqual({
      graduation_outcome: 'exited',
      graduation_extended: 'yes',
      graduation_relapsed: 'no',
      readiness_score_band: scoreBand(exit.score),
      criteria_met: exit.results.filter((r) => r.met).map((r) => r.key).join(';'),
    });
    expect(rowOf('exits')).toMatchObject({ status: 'completed', region_code: '35.10.03.2004', run_id: runIdFor(rolloutId, households.exits) });
  });

  it('has no graduation part for a plan without criteria, and still lists the regencies', async () => {
    const plainProgram = `${programId}-plain`;
    expect((await stack.call('POST', '/v1/programs', { ...graduationPlanV1, programId: plainProgram, version: 1 })).status).toBe(201);
    const plainRollout = uniqueRolloutId('grad-plain');
    const cohortId = await importCohort(stack, [cohortHousehold({ region: '35.09.01.2001' })]);
    expect((await stack.call('POST', '/v1/rollouts', { rolloutId: plainRollout, cohortId, programId: plainProgram, reason: 'tanpa kriteria' })).status).toBe(201);
    const p = (await stack.call('GET', `/v1/rollouts/${plainRollout}`, undefined, 'viewer')).body;
    expect(p.graduation).toBeUndefined();
    expect(p.regencies).toEqual([{ regency: '35.09', households: 1 }]);
    expect((await graduation('?regency=35.09', plainRollout)).body).toEqual({ rolloutId: plainRollout, regency: '35.09' });
    await stack.call('POST', `/v1/rollouts/${plainRollout}/cancel`, { reason: 'uji selesai' });
  });
});
