import { describe, expect, it } from 'vitest';
import { calendarForRunStartingAt } from '../../config/holiday-files';
import type { PlanStep, ProgramPlan } from '../../domain/program-plan';
import {
  applyOperation,
  initialRunState,
  openAttempt,
  recordProgress,
  reminderAt,
  runClockOf,
  stepDeadline,
  taskOpened,
  type RunClock,
} from '../../domain/run-machine';
import { makeHousehold } from '../helpers/households';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (iso: string) => new Date(iso);
const calendar = calendarForRunStartingAt(at('2026-03-17T03:00:00Z'));
const clockIn = (region: string): RunClock => ({ region, calendar });

const step = (over: Partial<PlanStep> = {}): PlanStep => ({
  key: 'training',
  agency: 'kemnaker',
  kind: 'job-training',
  title: 'training',
  sla: 'P10D',
  slaDays: 'working',
  parameters: { course: 'tailoring' },
  onRejection: { action: 'stop' },
  slaRestartsOnProgress: false,
  reminderShare: 0.8,
  escalateAfter: 'P3D',
  ...over,
});
const planOf = (s: PlanStep): ProgramPlan => ({
  programId: 'graduation',
  version: 1,
  title: 'Graduation',
  eligibility: { maxDecile: 2, welfareStatuses: ['extreme_poor'] },
  overlapPolicy: 'exclude',
  steps: [s],
});

/** An open first attempt of the plan's only step, opened at `openedAt` in the household's region by the run's clock (none: a run started before). */
function opened(region: string, openedAt: Date, s = step(), clock: RunClock | 'none' = clockIn(region)) {
  const household = makeHousehold({ region });
  const plan = planOf(s);
  const state = initialRunState({ runId: `run:r1:${household.familyCardNumber}`, rolloutId: 'r1', household, plan }, openedAt);
  state.currentStep = s.key;
  const attempt = openAttempt(state, state.steps[0]!, 1);
  taskOpened(state.steps[0]!, attempt, { agencyReference: 'REF' }, s, openedAt, clock === 'none' ? undefined : clock);
  return { state, attempt, plan };
}

describe('the calendar pinned into a run', () => {
  it('covers the start year (decreed) and the two after (provisional until decreed)', () => {
    expect(calendar.map((y) => [y.year, y.basis])).toEqual([
      [2026, 'decreed'],
      [2027, 'provisional'],
      [2028, 'provisional'],
    ]);
    expect(calendar[0]!.daysOff.filter((d) => d.date >= '2026-03-18' && d.date <= '2026-03-24').map((d) => [d.date, d.kind])).toEqual([
      ['2026-03-18', 'cuti-bersama'],
      ['2026-03-19', 'national-holiday'],
      ['2026-03-20', 'cuti-bersama'],
      ['2026-03-21', 'national-holiday'],
      ['2026-03-22', 'national-holiday'],
      ['2026-03-23', 'cuti-bersama'],
      ['2026-03-24', 'cuti-bersama'],
    ]);
  });
});

describe('a working-day deadline across Nyepi, Idul Fitri and cuti bersama', () => {
  // Tuesday 17 March 2026, 10.00 local time in each zone.
  it.each([
    ['35.09.01.2001', 'WIB', '2026-03-17T03:00:00Z', '2026-04-08T09:00:00.000Z'],
    ['51.71.01.1001', 'WITA', '2026-03-17T02:00:00Z', '2026-04-08T08:00:00.000Z'],
    ['91.01.01.2001', 'WIT', '2026-03-17T01:00:00Z', '2026-04-08T07:00:00.000Z'],
  ])('in %s (%s): P10D opened 10.00 local ends Wednesday 8 April at 16.00 local', (region, zone, openedAt, deadline) => {
    const { attempt } = opened(region, at(openedAt));
    expect(attempt.deadline).toBe(deadline);
    expect(attempt.deadlineBasis).toEqual({ days: 'working', zone });
  });

  it('gives three different UTC instants for the same SLA opened at the same instant in WIB, WITA and WIT', () => {
    const openedAt = at('2026-03-17T03:00:00Z');
    const deadlines = ['35.09', '51.71', '91.01'].map((region) => stepDeadline(step(), openedAt, clockIn(region)).at.toISOString());
    expect(deadlines).toEqual(['2026-04-08T09:00:00.000Z', '2026-04-08T08:00:00.000Z', '2026-04-08T07:00:00.000Z']);
  });

  it('would end a week earlier counting weekends alone, and ten days on in calendar days', () => {
    const openedAt = at('2026-03-17T03:00:00Z');
    expect(stepDeadline(step(), openedAt, { region: '35.09', calendar: [] })).toEqual({
      at: at('2026-03-31T09:00:00Z'),
      basis: { days: 'working', zone: 'WIB', notDecreed: [{ year: 2026, counting: 'weekends-only' }] },
    });
    expect(stepDeadline(step({ slaDays: 'calendar' }), openedAt, clockIn('35.09'))).toEqual({ at: at('2026-03-27T03:00:00Z'), basis: { days: 'calendar', zone: 'WIB' } });
  });

  it('records a year counted without its decree, so the deadline can be shown as provisional', () => {
    // Monday 21 December 2026, 10.00 WIB: 24 (cuti) and 25 December off, then into 2027, not yet decreed, whose
    // estimate has 1 January and Isra Mikraj on 5 January: Friday 8 January 2027 at 16.30 WIB.
    const { attempt } = opened('35.09.01.2001', at('2026-12-21T03:00:00Z'));
    expect(attempt.deadline).toBe('2027-01-08T09:30:00.000Z');
    expect(attempt.deadlineBasis).toEqual({ days: 'working', zone: 'WIB', notDecreed: [{ year: 2027, counting: 'provisional' }] });
  });
});

describe('a deadline that moves', () => {
  const openedAt = at('2026-03-17T03:00:00Z');

  it('restarts from a progress report in working days, where the plan lets progress restart the SLA', () => {
    const s = step({ slaRestartsOnProgress: true });
    const { attempt, plan } = opened('91.01.01.2001', openedAt, s);
    // Thursday 26 March, 10.00 WIT: ten working days to Friday 10 April (Good Friday 3 April off), closing 16.30 WIT.
    expect(recordProgress(plan, 'training', attempt, { taskId: attempt.taskId, agency: 'kemnaker', kind: 'progress', reportedAt: '2026-03-26T01:00:00.000Z', source: 'm1' }, at('2026-03-26T01:00:00Z'), clockIn('91.01'))).toBe(true);
    expect(attempt.deadline).toBe('2026-04-10T07:30:00.000Z');
    expect(attempt.deadlineBasis).toEqual({ days: 'working', zone: 'WIT' });
  });

  it('extends a working-day deadline by working days: P10D extended by P5D ends where P15D would', () => {
    const { state, attempt } = opened('51.71.01.1001', openedAt);
    const record = applyOperation(state, { op: 'extend', stepKey: 'training', extendBy: 'P5D', reason: 'Lebaran backlog', actor: 'mgr', requestedAt: '2026-04-01T02:00:00.000Z' }, state.steps[0], at('2026-04-01T02:00:00Z'), clockIn('51.71'));
    // After Wednesday 8 April: 9, 10, 13, 14, 15 April, closing 16.00 WITA.
    expect(attempt.deadline).toBe('2026-04-15T08:00:00.000Z');
    expect(record.detail).toBe(attempt.deadline);
    expect(attempt.deadline).toBe(stepDeadline(step({ sla: 'P15D' }), openedAt, clockIn('51.71')).at.toISOString());
    // Hours stay elapsed time.
    applyOperation(state, { op: 'extend', stepKey: 'training', extendBy: 'PT2H', reason: 'r', actor: 'mgr', requestedAt: '2026-04-01T02:00:00.000Z' }, state.steps[0], at('2026-04-01T02:00:00Z'), clockIn('51.71'));
    expect(attempt.deadline).toBe('2026-04-15T10:00:00.000Z');
  });

  it('extends a calendar-day deadline by elapsed days, and keeps a provisional year on the extended deadline', () => {
    const calendarDays = opened('35.09.01.2001', openedAt, step({ slaDays: 'calendar' }));
    applyOperation(calendarDays.state, { op: 'extend', stepKey: 'training', extendBy: 'P5D', reason: 'r', actor: 'mgr', requestedAt: '2026-04-01T02:00:00.000Z' }, calendarDays.state.steps[0], openedAt, clockIn('35.09'));
    expect(calendarDays.attempt.deadline).toBe(new Date(openedAt.getTime() + 15 * DAY).toISOString());

    const december = opened('35.09.01.2001', at('2026-12-21T03:00:00Z'));
    applyOperation(december.state, { op: 'extend', stepKey: 'training', extendBy: 'P1D', reason: 'r', actor: 'mgr', requestedAt: '2026-04-01T02:00:00.000Z' }, december.state.steps[0], openedAt, clockIn('35.09'));
    expect(december.attempt.deadlineBasis?.notDecreed).toEqual([{ year: 2027, counting: 'provisional' }]);
  });
});

describe('reminders within office hours', () => {
  const calendarStep = step({ slaDays: 'calendar' });

  it.each([
    // Thursday 4 June 2026, 22.00 local deadline: the reminder (two days before) would be Tuesday 22.00; it goes Wednesday 07.30 local.
    ['35.09', '2026-06-04T15:00:00Z', '2026-06-03T00:30:00.000Z'],
    ['51.71', '2026-06-04T14:00:00Z', '2026-06-02T23:30:00.000Z'],
    ['91.01', '2026-06-04T13:00:00Z', '2026-06-02T22:30:00.000Z'],
  ])('in %s a reminder due at 22.00 local moves to the next office opening there', (region, deadline, reminder) => {
    expect(reminderAt(calendarStep, deadline)).toBe(Date.parse(deadline) - 2 * DAY);
    expect(new Date(reminderAt(calendarStep, deadline, clockIn(region))).toISOString()).toBe(reminder);
  });

  it('skips the days off: a reminder due on cuti bersama waits for the first working day after Lebaran', () => {
    // Deadline Thursday 26 March 2026, 16.00 WIB; due Tuesday 24 March (cuti bersama), sent Wednesday 25 March 07.30 WIB.
    expect(new Date(reminderAt(step(), '2026-03-26T09:00:00.000Z', clockIn('35.09'))).toISOString()).toBe('2026-03-25T00:30:00.000Z');
  });

  it('leaves a reminder already within office hours, and one that could only go after the deadline', () => {
    // Due Tuesday 2 June, 10.00 WIB.
    expect(reminderAt(calendarStep, '2026-06-04T03:00:00.000Z', clockIn('35.09'))).toBe(Date.parse('2026-06-02T03:00:00Z'));
    // A four-second SLA ending at 22.00 WIB: the next opening is after the breach, so it goes when due.
    const short = step({ slaDays: 'calendar', sla: 'PT4S', reminderShare: 0.5 });
    expect(reminderAt(short, '2026-06-04T15:00:00.000Z', clockIn('35.09'))).toBe(Date.parse('2026-06-04T14:59:58Z'));
  });
});

describe('a run started before calendars were pinned (input without one)', () => {
  const household = makeHousehold({ region: '91.01.01.2001' });
  const openedAt = at('2026-03-17T01:00:00Z');

  it('has no clock, so even a working-day step counts elapsed time and records no basis', () => {
    expect(runClockOf({ household })).toBeUndefined();
    expect(runClockOf({ household, calendar })).toEqual({ region: '91.01.01.2001', calendar });
    const { attempt } = opened('91.01.01.2001', openedAt, step(), runClockOf({ household }) ?? 'none');
    expect(attempt.deadline).toBe(new Date(openedAt.getTime() + 10 * DAY).toISOString());
    expect(attempt.deadlineBasis).toBeUndefined();
    expect(reminderAt(step(), '2026-06-04T13:00:00.000Z', runClockOf({ household }))).toBe(Date.parse('2026-06-02T13:00:00Z'));
  });

  it('keeps moving an attempt opened without a clock by elapsed time, even once the run has one', () => {
    const s = step({ slaRestartsOnProgress: true });
    const { state, attempt, plan } = opened('91.01.01.2001', openedAt, s, 'none');
    const clock = clockIn('91.01');
    recordProgress(plan, 'training', attempt, { taskId: attempt.taskId, agency: 'kemnaker', kind: 'progress', reportedAt: '2026-03-26T01:00:00.000Z', source: 'm1' }, at('2026-03-18T01:00:00Z'), clock);
    expect(attempt.deadline).toBe('2026-03-28T01:00:00.000Z');
    applyOperation(state, { op: 'extend', stepKey: 'training', extendBy: 'P5D', reason: 'r', actor: 'mgr', requestedAt: '2026-04-01T02:00:00.000Z' }, state.steps[0], openedAt, clock);
    expect(attempt.deadline).toBe('2026-04-02T01:00:00.000Z');
    expect(attempt.deadlineBasis).toBeUndefined();
    expect(reminderAt(s, attempt.deadline!, undefined)).toBe(Date.parse(attempt.deadline!) - 2 * DAY);
  });
});
