import { describe, expect, it } from 'vitest';
import { assess, decide, GraduationSchema, isMet, type Graduation, type VisitEvidence } from '../../domain/graduation';
import { graduationCriteria } from '../../domain/plans/graduation-criteria';
import { rungDown, rungUp } from '../../domain/welfare-status';

const visit = (stepKey: string, indicators: VisitEvidence['indicators']): VisitEvidence => ({ stepKey, visitedOn: '2027-03-01', indicators });
/** Every shipped criterion met. */
const ready = { meals: 0, savings: 750_000, 'income-sources': 2, 'children-in-school': true, business: 'running', jkn: true };

describe('graduation criteria', () => {
  it.each<[string, Graduation['criteria'][number]['indicator'], VisitEvidence['indicators'][string] | undefined, boolean]>([
    ['savings at the threshold', { type: 'number', unit: 'rupiah', atLeast: 500_000 }, 500_000, true],
    ['savings a rupiah short', { type: 'number', unit: 'rupiah', atLeast: 500_000 }, 499_999, false],
    ['no day without meals', { type: 'number', unit: 'days', atMost: 0 }, 0, true],
    ['one day without meals', { type: 'number', unit: 'days', atMost: 0 }, 1, false],
    ['a number reported as text', { type: 'number', unit: 'count', atLeast: 2 }, '2', false],
    ['yes when yes is expected', { type: 'yes-no', expected: true }, true, true],
    ['no when yes is expected', { type: 'yes-no', expected: true }, false, false],
    ['a meeting choice', { type: 'choice', choices: [{ key: 'running', label: { id: 'Berjalan', en: 'Running' } }, { key: 'closed', label: { id: 'Tutup', en: 'Closed' } }], meets: ['running'] }, 'running', true],
    ['another choice', { type: 'choice', choices: [{ key: 'running', label: { id: 'Berjalan', en: 'Running' } }, { key: 'closed', label: { id: 'Tutup', en: 'Closed' } }], meets: ['running'] }, 'closed', false],
    ['nothing reported', { type: 'yes-no', expected: true }, undefined, false],
  ])('%s: met = %s', (_, indicator, value, met) => {
    expect(isMet(indicator, value)).toBe(met);
  });

  // evidence → score → decision, for the shipped criteria (threshold 70, one extension allowed).
  it.each<[string, VisitEvidence['indicators'], number, number, 'graduate' | 'extend' | 'exit']>([
    ['every criterion met', ready, 100, 0, 'graduate'],
    ['all but JKN (10) and schooling (15): 75 ≥ 70', { ...ready, jkn: false, 'children-in-school': false }, 75, 0, 'graduate'],
    ['savings (20) and income (20) short: 60 < 70', { ...ready, savings: 100_000, 'income-sources': 1 }, 60, 0, 'extend'],
    ['the same after the one extension', { ...ready, savings: 100_000, 'income-sources': 1 }, 60, 1, 'exit'],
    ['score 80 but a day without meals (mandatory)', { ...ready, meals: 2 }, 80, 0, 'extend'],
    ['the business closed (mandatory) after the extension', { ...ready, business: 'closed' }, 85, 1, 'exit'],
    ['nothing reported at all', {}, 0, 0, 'extend'],
  ])('%s: score %d, after %d extensions → %s', (_, indicators, score, extensionsUsed, decision) => {
    const assessment = assess(graduationCriteria, [visit('follow-up-3', indicators)]);
    expect(assessment.score).toBe(score);
    expect(decide(graduationCriteria, assessment, extensionsUsed)).toBe(decision);
  });

  it('scores each criterion by the latest visit that reported it', () => {
    const assessment = assess(graduationCriteria, [visit('follow-up-1', { ...ready, savings: 0 }), visit('follow-up-2', { savings: 600_000 }), visit('follow-up-3', { jkn: false })]);
    expect(assessment.results.find((r) => r.key === 'savings')).toEqual({ key: 'savings', value: 600_000, met: true, mandatory: false, weight: 20 });
    expect(assessment.results.find((r) => r.key === 'jkn')?.met).toBe(false);
    expect(assessment.score).toBe(90);
  });

  it('rounds the score to one decimal of the weight met', () => {
    const thirds = GraduationSchema.parse({
      readinessThreshold: 50,
      criteria: ['a', 'b', 'c'].map((key) => ({ key, label: { id: key, en: key }, indicator: { type: 'yes-no' }, weight: 1 })),
    });
    expect(assess(thirds, [visit('v', { a: true })]).score).toBe(33.3);
    expect(assess(thirds, [visit('v', { a: true, b: true })]).score).toBe(66.7);
  });

  it('moves the welfare status one rung at a time, never off the ladder', () => {
    expect(rungUp('extreme_poor')).toBe('poor');
    expect(rungUp('stable')).toBe('stable');
    expect(rungDown('vulnerable')).toBe('poor');
    expect(rungDown('extreme_poor')).toBe('extreme_poor');
  });

  it.each<[string, unknown, string]>([
    ['a number indicator without a threshold', { criteria: [{ key: 'x', label: { id: 'x', en: 'x' }, indicator: { type: 'number', unit: 'count' }, weight: 1 }] }, 'criteria.0.indicator.atLeast'],
    ['a choice that meets with an unknown key', { criteria: [{ key: 'x', label: { id: 'x', en: 'x' }, indicator: { type: 'choice', choices: [{ key: 'a', label: { id: 'a', en: 'a' } }, { key: 'b', label: { id: 'b', en: 'b' } }], meets: ['c'] }, weight: 1 }] }, 'criteria.0.indicator.meets.0'],
    ['two criteria with one key', { criteria: [1, 2].map(() => ({ key: 'x', label: { id: 'x', en: 'x' }, indicator: { type: 'yes-no' }, weight: 1 })) }, 'criteria.1.key'],
    ['a label without English', { criteria: [{ key: 'x', label: { id: 'x' }, indicator: { type: 'yes-no' }, weight: 1 }] }, 'criteria.0.label.en'],
    ['a zero weight', { criteria: [{ key: 'x', label: { id: 'x', en: 'x' }, indicator: { type: 'yes-no' }, weight: 0 }] }, 'criteria.0.weight'],
    ['a threshold over 100', { readinessThreshold: 101 }, 'readinessThreshold'],
    ['a visit after graduation in months', { afterGraduation: ['P6M'] }, 'afterGraduation.0'],
  ])('refuses %s, naming %s', (_, change, path) => {
    const result = GraduationSchema.safeParse({ ...graduationCriteria, ...(change as object) });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toContain(path);
  });
});
