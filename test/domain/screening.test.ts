import { describe, expect, it } from 'vitest';
import { graduationPlanV1 } from '../../domain/plans/graduation';
import type { ProgramPlan } from '../../domain/program-plan';
import { screenBatch, type ActiveRun } from '../../domain/screening';
import { makeHousehold } from '../helpers/households';

const plan: ProgramPlan = { ...graduationPlanV1, eligibility: { maxDecile: 2, welfareStatuses: ['extreme_poor', 'poor'], regions: ['35.09'] }, overlapPolicy: 'flag' };
const run = (runId: string, rest: Partial<ActiveRun>): ActiveRun => ({ runId, stepKinds: [], ...rest });

describe('screenBatch: what a preview reports and a rollout batch starts', () => {
  const fresh = makeHousehold();
  const rich = makeHousehold({ decile: 7 });
  const graduated = makeHousehold({ welfareStatus: 'stable' });
  const elsewhere = makeHousehold({ region: '33.01.01.2001' });
  const enrolled = makeHousehold();
  const overlapping = makeHousehold();
  const startedBefore = makeHousehold();
  const active = new Map<string, ActiveRun[]>([
    [enrolled.familyCardNumber, [run('run:other:1', { rolloutId: 'other', programId: 'graduation' })]],
    [overlapping.familyCardNumber, [run('run:umi:2', { rolloutId: 'umi', programId: 'umi-only', stepKinds: ['micro-capital'] })]],
    [startedBefore.familyCardNumber, [run('run:this:3', { rolloutId: 'this', programId: 'graduation' })]],
  ]);
  const batch = screenBatch(plan, 'this', [fresh, rich, graduated, elsewhere, enrolled, overlapping, startedBefore], active);

  it('starts the eligible households, the flagged overlap included, but not one this rollout started before', () => {
    expect(batch.toStart.map((h) => h.familyCardNumber)).toEqual([fresh.familyCardNumber, overlapping.familyCardNumber]);
  });

  it('counts every household once, by what was decided', () => {
    expect(batch.counts).toEqual({
      read: 7,
      started: 3,
      flagged: 1,
      excluded: { 'decile-above-maximum': 1, 'welfare-status-not-allowed': 1, 'region-not-covered': 1, 'already-enrolled': 1 },
    });
  });

  it('lists each exclusion with its reason, and the flagged household as flagged only', () => {
    expect(batch.exclusions.map((e) => [e.householdId, e.reason, e.flaggedOnly ?? false])).toEqual([
      [rich.familyCardNumber, 'decile-above-maximum', false],
      [graduated.familyCardNumber, 'welfare-status-not-allowed', false],
      [elsewhere.familyCardNumber, 'region-not-covered', false],
      [enrolled.familyCardNumber, 'already-enrolled', false],
      [overlapping.familyCardNumber, 'overlapping-program', true],
    ]);
  });
});
