import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadHolidayCalendar } from '../../config/holiday-files';
import { graduationPlanV1 } from '../../domain/plans/graduation';
import type { AttemptState } from '../../domain/run-state';
import { slaDeadline } from '../../domain/working-days';
import { startStack, type Stack } from '../../dev/stack';
import { makeHousehold, uniqueRolloutId } from '../helpers/households';
import { shortPlan, startRun, stepIs, waitForState } from '../helpers/runs';

const DAY = 86_400_000;
/** The aid step counts three working days; kemensos stays silent, so its task stays open. */
const workingDayPlan = shortPlan(graduationPlanV1, { aid: { sla: 'P3D', slaDays: 'working' } });

describe('a working-day SLA in the household region', () => {
  let stack: Stack;
  const runIds: string[] = [];
  const op = (runId: string, path: string, body: unknown) => stack.call('POST', `/v1/runs/${encodeURIComponent(runId)}/${path}`, body, 'manager');
  /** Starts a run and answers its first attempt once the agency took the task. */
  const openAid = async (region: string, plan = workingDayPlan): Promise<{ runId: string; attempt: AttemptState }> => {
    const runId = await startRun(stack, uniqueRolloutId('working-days'), makeHousehold({ region }), plan);
    runIds.push(runId);
    const state = await waitForState(stack, runId, stepIs('aid', 'open'));
    return { runId, attempt: state.steps[0]!.attempts[0]! };
  };
  /** The calendar of the years a run opened then may span, read from the files here, not from the run. */
  const calendarOf = (attempt: AttemptState) => {
    const year = new Date(attempt.openedAt!).getUTCFullYear();
    return loadHolidayCalendar([year, year + 1, year + 2]).calendar;
  };
  const expected = (attempt: AttemptState, region: string, sla = 'P3D') => slaDeadline(Date.parse(attempt.openedAt!), sla, { region, workingDays: true, calendar: calendarOf(attempt) });

  beforeAll(async () => {
    stack = await startStack({ temporalAddress: inject('temporalAddress') });
    await stack.sims.control.kemensos.setBehaviour({ silent: true });
  });
  afterAll(async () => {
    await Promise.all(runIds.map((runId) => op(runId, 'cancel', { reason: 'end of the working-day deadline test' })));
    await stack?.close();
  });

  it('sets the deadline slaDeadline gives for the region, recorded with its basis, different in WIB and WIT', async () => {
    const [wib, wit] = await Promise.all([openAid('35.09.01.2001'), openAid('91.01.01.2001')]);
    const [wibExpected, witExpected] = [expected(wib.attempt, '35.09.01.2001'), expected(wit.attempt, '91.01.01.2001')];
    expect(wib.attempt.deadline).toBe(new Date(wibExpected.at).toISOString());
    expect(wit.attempt.deadline).toBe(new Date(witExpected.at).toISOString());
    const basis = (zone: string, notDecreed: unknown[]) => ({ days: 'working', zone, ...(notDecreed.length > 0 && { notDecreed }) });
    expect(wib.attempt.deadlineBasis).toEqual(basis('WIB', wibExpected.notDecreed));
    expect(wit.attempt.deadlineBasis).toEqual(basis('WIT', witExpected.notDecreed));
    // Three working days end at office closing (16.00, Friday 16.30) local time: not three elapsed days, and not the same instant in both zones.
    expect(wib.attempt.deadline).not.toBe(wit.attempt.deadline);
    expect(Date.parse(wib.attempt.deadline!) - Date.parse(wib.attempt.openedAt!)).not.toBe(3 * DAY);
    expect(new Date(Date.parse(wib.attempt.deadline!) + 7 * 3_600_000).toISOString().slice(11, 16)).toMatch(/^16:(00|30)$/);
    expect(new Date(Date.parse(wit.attempt.deadline!) + 9 * 3_600_000).toISOString().slice(11, 16)).toMatch(/^16:(00|30)$/);
  });

  it('extends a working-day deadline by working days', async () => {
    const { runId, attempt } = await openAid('91.01.01.2001');
    const res = await op(runId, 'steps/aid/extend', { reason: 'the village office is closed for a local holiday', extendBy: 'P2D' });
    expect(res.status).toBe(200);
    const moved = await waitForState(stack, runId, (s) => s.steps[0]!.attempts[0]!.deadline !== attempt.deadline);
    const extended = slaDeadline(Date.parse(attempt.deadline!), 'P2D', { region: '91.01', workingDays: true, calendar: calendarOf(attempt) });
    expect(moved.steps[0]!.attempts[0]!.deadline).toBe(new Date(extended.at).toISOString());
    expect(moved.steps[0]!.attempts[0]!.deadline).toBe(new Date(expected(attempt, '91.01', 'P5D').at).toISOString());
  });

  it('keeps a calendar-day step at elapsed time, recorded in the region zone', async () => {
    const { attempt } = await openAid('51.71.01.1001', shortPlan(graduationPlanV1, { aid: { sla: 'P3D' } }));
    expect(Date.parse(attempt.deadline!) - Date.parse(attempt.openedAt!)).toBe(3 * DAY);
    expect(attempt.deadlineBasis).toEqual({ days: 'calendar', zone: 'WITA' });
  });
});
