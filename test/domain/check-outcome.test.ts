import { describe, expect, it } from 'vitest';
import { checkOutcome } from '../../domain/check-outcome';
import type { RunState } from '../../domain/run-state';
import type { TaskOutcome } from '../../domain/task-outcome';

const runId = 'run:r1:3509010101010001';
const state = (): RunState => ({
  runId,
  rolloutId: 'r1',
  programId: 'graduation',
  programVersion: 1,
  householdId: '3509010101010001',
  region: '35.09.01.2001',
  status: 'running',
  startedAt: '2026-01-01T00:00:00.000Z',
  welfareStatus: { before: 'poor', current: 'poor' },
  steps: [
    { key: 'aid', agency: 'kemensos', kind: 'aid-disbursement', title: 'Aid', status: 'completed', stuck: false, attempts: [{ attempt: 1, taskId: `${runId}:aid:1`, outcome: 'completed' }] },
    { key: 'training', agency: 'kemnaker', kind: 'job-training', title: 'Training', status: 'open', stuck: false, attempts: [{ attempt: 1, taskId: `${runId}:training:1` }] },
  ],
});
const outcome = (o: Partial<TaskOutcome>): TaskOutcome => ({
  taskId: `${runId}:training:1`,
  agency: 'kemnaker',
  outcome: 'completed',
  result: { attendancePercent: 90, passed: true },
  reportedAt: '2026-01-02T00:00:00.000Z',
  source: 'msg_1',
  ...o,
});

describe('checkOutcome', () => {
  it('accepts a valid completion of an open task by its own agency', () => {
    expect(checkOutcome(state(), outcome({})).ok).toBe(true);
  });

  it.each([
    ['another run', { taskId: 'run:r2:3509010101010001:training:1' }, 'UnknownTask'],
    ['an attempt that never was', { taskId: `${runId}:training:2` }, 'UnknownTask'],
    ['a step the plan lacks', { taskId: `${runId}:capital:1` }, 'UnknownTask'],
    ['the wrong agency', { agency: 'kemensos' as const }, 'WrongAgency'],
    ['a closed task', { taskId: `${runId}:aid:1`, agency: 'kemensos' as const }, 'TaskAlreadyClosed'],
    ['a result of the wrong shape', { result: { attendancePercent: 120 } }, 'InvalidResult'],
    ['a rejection without reason', { outcome: 'rejected' as const, result: undefined }, 'InvalidResult'],
  ])('refuses an outcome for %s', (_what, o, type) => {
    const check = checkOutcome(state(), outcome(o));
    expect(check.ok ? 'ok' : check.type).toBe(type);
  });

  it("holds a reassigned step's earlier attempt to its own agency; a run from before the patch, to the step's current one", () => {
    const reassigned = state();
    const training = reassigned.steps[1]!;
    training.agency = 'pemda';
    training.attempts = [
      { attempt: 1, taskId: `${runId}:training:1`, agency: 'kemnaker', supersededBy: 'reassign' },
      { attempt: 2, taskId: `${runId}:training:2`, agency: 'pemda' },
    ];
    const byPemda = outcome({ agency: 'pemda' });
    const check = checkOutcome(reassigned, byPemda);
    expect(check.ok ? 'ok' : check.type).toBe('WrongAgency');
    expect(checkOutcome(reassigned, outcome({})).ok).toBe(true);
    // As such runs' histories were decided: replayed the same.
    expect(checkOutcome(reassigned, byPemda, undefined, 'step').ok).toBe(true);
  });

  it('names the bad result fields', () => {
    const check = checkOutcome(state(), outcome({ result: { attendancePercent: 120 } }));
    expect(check.ok ? [] : check.issues?.map((i) => i.path)).toEqual(['result.attendancePercent', 'result.passed']);
  });
});
