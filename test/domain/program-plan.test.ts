import { describe, expect, it } from 'vitest';
import { durationToMs } from '../../domain/duration';
import { graduationPlan, graduationPlanV1 } from '../../domain/plans/graduation';
import { shippedPlans, shippedVersionOf } from '../../domain/plans';
import { ProgramPlanSchema } from '../../domain/program-plan';

const issuesOf = (plan: unknown) => {
  const parsed = ProgramPlanSchema.safeParse(plan);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('program plans', () => {
  it('ships a graduation plan: aid, training, capital, then follow-up visits at pemda', () => {
    expect(graduationPlan.steps.map((s) => `${s.key}@${s.agency}`)).toEqual([
      'aid@kemensos',
      'training@kemnaker',
      'capital@kemenkop',
      'follow-up-1@pemda',
      'follow-up-2@pemda',
      'follow-up-3@pemda',
    ]);
    expect(issuesOf(graduationPlan)).toEqual([]);
  });

  it('ships version 2 deciding graduation by criteria, and keeps version 1 for the rollouts pinned to it', () => {
    expect(shippedPlans.map((p) => `${p.programId}@${p.version}`)).toEqual(['graduation@1', 'graduation@2']);
    expect(shippedVersionOf('graduation')).toBe(2);
    expect(shippedVersionOf('unknown')).toBe(0);
    expect(graduationPlanV1.graduation).toBeUndefined();
    expect(graduationPlan.steps).toEqual(graduationPlanV1.steps);
    const g = graduationPlan.graduation!;
    expect(g.criteria.map((c) => `${c.key}${c.mandatory ? '*' : ''}:${c.weight}`)).toEqual(['meals*:20', 'savings:20', 'income-sources:20', 'children-in-school:15', 'business*:15', 'jkn:10']);
    // The weights are the readiness score's hundred points; the savings bar is in Rupiah.
    expect(g.criteria.reduce((sum, c) => sum + c.weight, 0)).toBe(100);
    expect(g.criteria.find((c) => c.key === 'savings')!.indicator).toMatchObject({ type: 'number', unit: 'rupiah', atLeast: 500_000 });
    expect(g.readinessThreshold).toBe(70);
  });

  it('refuses duplicate step keys, an agency given a kind it cannot do, and calendar-dependent SLAs', () => {
    const steps = [...graduationPlan.steps];
    steps[1] = { ...steps[1]!, agency: 'kemenkop', sla: 'P1M' };
    expect(issuesOf({ ...graduationPlan, steps })).toEqual([
      'steps.1.agency: kemenkop cannot do a job-training step (it does: micro-capital)',
      'steps.1.sla: use weeks or days instead of months or years',
    ]);
    // Once each step is sound, the plan as a whole: its keys are unique, and not those a graduation adds.
    steps[1] = { ...graduationPlan.steps[1]!, key: 'aid' };
    expect(issuesOf({ ...graduationPlan, steps })).toEqual(['steps.1.key: duplicate step key "aid"']);
    steps[1] = { ...graduationPlan.steps[1]!, key: 'after-graduation-1' };
    expect(issuesOf({ ...graduationPlan, steps })).toEqual(['steps.1.key: "after-graduation-1" is kept for the visits a graduation adds']);
    expect(issuesOf({ ...graduationPlan, steps: graduationPlan.steps.filter((s) => s.kind !== 'follow-up-visit') })).toEqual([
      'graduation: needs a follow-up-visit step: its evidence decides graduation',
    ]);
  });

  it("refuses step parameters that do not suit the agency's contract for that kind, naming each one", () => {
    const steps = graduationPlan.steps.map((s) => ({ ...s }));
    steps[0]!.parameters = { programme: 'PKH', amount: 'lots' };
    steps[1]!.parameters = {};
    steps[3]!.parameters = { visit: 4, of: 3 };
    expect(issuesOf({ ...graduationPlan, steps })).toEqual([
      'steps.0.parameters.amount: Invalid input: expected number, received NaN',
      'steps.1.parameters.course: Invalid input: expected string, received undefined',
      'steps.3.parameters.visit: cannot exceed "of"',
    ]);
    // Checked against the contract of the agency the step names: pemda's training centre takes a course too.
    const atPemda = { ...graduationPlanV1.steps[1]!, agency: 'pemda', parameters: {} };
    expect(issuesOf({ ...graduationPlanV1, steps: [atPemda] })).toEqual(['steps.0.parameters.course: Invalid input: expected string, received undefined']);
    expect(issuesOf({ ...graduationPlanV1, steps: [{ ...atPemda, parameters: { course: 'sewing' } }] })).toEqual([]);
    // A kind whose contract needs a parameter needs `parameters`; one that needs none may leave them out.
    const { parameters: _course, ...training } = graduationPlanV1.steps[1]!;
    const { parameters: _visit, ...visit } = graduationPlanV1.steps[3]!;
    expect(issuesOf({ ...graduationPlanV1, steps: [training, visit] })).toEqual(['steps.0.parameters: Invalid input: expected record, received undefined']);
    expect(ProgramPlanSchema.parse({ ...graduationPlanV1, steps: [visit] }).steps[0]!.parameters).toEqual({});
    // Kept as given: the agency's defaults and coercions apply when the task opens, not in the plan.
    expect(ProgramPlanSchema.parse({ ...graduationPlanV1, steps: [{ ...graduationPlanV1.steps[0]!, parameters: { amount: '750000' } }] }).steps[0]!.parameters).toEqual({ amount: '750000' });
  });

  it('refuses retry rules without a count, empty plans and non-durations', () => {
    const step = { ...graduationPlan.steps[0]!, sla: '14 days', onRejection: { action: 'retry' } };
    expect(issuesOf({ ...graduationPlan, steps: [step] })).toEqual([
      'steps.0.sla: must be an ISO-8601 duration such as P14D or PT12H',
      'steps.0.onRejection.maxRetries: Invalid input: expected number, received undefined',
    ]);
    expect(issuesOf({ ...graduationPlanV1, steps: [] })).toEqual(['steps: Too small: expected array to have >=1 items']);
  });

  it('turns SLAs into milliseconds', () => {
    expect(durationToMs('P14D')).toBe(14 * 86_400_000);
    expect(durationToMs('P1W')).toBe(604_800_000);
    expect(durationToMs('PT1H30M5S')).toBe(5_405_000);
  });
});
