import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { developmentPayloadKey } from '../../config/config';
import { graduationPlan } from '../../domain/plans/graduation';
import { initialRunState, openAttempt, startStep } from '../../domain/run-machine';
import type { RunState } from '../../domain/run-state';
import type { WelfareStatus } from '../../domain/welfare-status';
import { runIdOf } from '../../domain/ids';
import { RecordCipher } from '../../lib/record-cipher';
import { graduationCounts, readRunGroups, runCounts } from '../../records/read-progress';
import { dropDatabase, ensureDatabase, migrateRecords, openRecordsDb, type RecordsDb } from '../../records/records-db';
import { writeRun } from '../../records/write-run';

/**
 * A rollout's progress is summed from tallies a trigger keeps as runs are written: after many
 * concurrent writes, retries and late (older) writes, they must agree with counting the runs themselves.
 */
describe("a rollout's tallies", () => {
  const database = `tallies_${process.pid}`;
  let db: RecordsDb;
  const regions = ['35.09.01.2001', '35.09.02.2002', '35.07.01.2001', '33.01.05.2003'];
  const steps = graduationPlan.steps;

  beforeAll(async () => {
    const url = await ensureDatabase(inject('databaseUrl'), database);
    await migrateRecords(url);
    db = openRecordsDb(url, new RecordCipher([developmentPayloadKey]), { max: 12 });
  });
  afterAll(async () => {
    await db?.pool.end();
    await dropDatabase(inject('databaseUrl'), database);
  });

  /** Run n's state after `moves` moves: at a later step, stuck now and then, completed at the end, graduated or exited. */
  function stateOf(n: number, moves: number): { state: RunState; stuckSince?: string } {
    const household = { familyCardNumber: `7${String(n).padStart(15, '0')}`, headNik: '3509014507850003', headName: 'Tally Household', region: regions[n % regions.length]!, decile: 1, welfareStatus: 'extreme_poor' as const };
    const state = initialRunState({ runId: runIdOf('tallied', `k${n}`), rolloutId: 'tallied', household, plan: graduationPlan }, new Date('2026-11-01T00:00:00Z'));
    const at = Math.min(moves, steps.length - 1);
    for (let i = 0; i <= at; i++) {
      const step = state.steps[i]!;
      startStep(state, step, new Date('2026-11-02T00:00:00Z'));
      openAttempt(state, step, 1);
      if (i < at) step.status = 'completed';
    }
    const welfare: WelfareStatus[] = ['extreme_poor', 'poor', 'vulnerable', 'stable'];
    state.welfareStatus.current = welfare[Math.min(3, Math.floor(moves / 2))]!;
    if (moves > steps.length) {
      state.status = n % 7 === 0 ? 'failed' : 'completed';
      state.currentStep = undefined;
    }
    if (state.graduation && moves >= steps.length) {
      state.graduation.outcome = n % 3 === 0 ? 'exited' : 'graduated';
      state.graduation.extensionsUsed = n % 5 === 0 ? 1 : 0;
    }
    const stuck = state.status === 'running' && (n + moves) % 4 === 0;
    return { state, ...(stuck && { stuckSince: '2026-11-03T00:00:00Z' }) };
  }

  it('agree with the runs counted one by one after concurrent, repeated and out-of-order writes', async () => {
    const runs = 240;
    const lastMove = (n: number) => (n * 13) % (steps.length + 3);
    // Every run's writes, each twice (a retry), the whole lot shuffled: late writes arrive after newer ones.
    const writes = Array.from({ length: runs }, (_, n) => Array.from({ length: lastMove(n) + 1 }, (_, move) => ({ n, move }))).flat().flatMap((w) => [w, w]);
    for (let i = writes.length - 1; i > 0; i--) {
      const j = (i * 7919) % (i + 1);
      [writes[i], writes[j]] = [writes[j]!, writes[i]!];
    }
    let next = 0;
    await Promise.all(
      Array.from({ length: 12 }, async () => {
        for (let i = next++; i < writes.length; i = next++) {
          const { n, move } = writes[i]!;
          await writeRun(db, { seq: move + 1, householdKey: `k${n}`, ...stateOf(n, move) });
        }
      }),
    );

    const direct = async (condition: string, params: unknown[] = []) =>
      (
        await db.pool.query<{ status: string; stuck: boolean; step: string | null; outcome: string | null; extended: boolean; after: string; n: number }>(
          `SELECT status, stuck, current_step AS step, graduation_outcome AS outcome, graduation_extended AS extended, welfare_after AS after, count(*)::int AS n
           FROM runs WHERE rollout_id = 'tallied' ${condition} GROUP BY 1, 2, 3, 4, 5, 6`,
          params,
        )
      ).rows;
    const key = (g: { status: string; stuck: boolean; step: string | null; outcome: string | null; extended: boolean; after: string }) => [g.status, g.stuck, g.step, g.outcome, g.extended, g.after].join('|');
    const summed = (groups: { n: number }[] & Parameters<typeof key>[0][]) => {
      const out: Record<string, number> = {};
      for (const g of groups) out[key(g)] = (out[key(g)] ?? 0) + g.n;
      return out;
    };

    const all = await readRunGroups(db, 'tallied', 'national');
    expect(summed(all)).toEqual(summed(await direct('')));
    expect(all.reduce((s, g) => s + g.n, 0)).toBe(runs);
    // The final states, not whichever write came last: each run stands at its last move.
    const completed = Array.from({ length: runs }, (_, n) => stateOf(n, lastMove(n)).state.status).filter((s) => s === 'completed').length;
    expect(runCounts(all, graduationPlan).runs.completed).toBe(completed);
    expect(completed).toBeGreaterThan(0);

    const scoped = await readRunGroups(db, 'tallied', ['35.09.01']);
    expect(summed(scoped)).toEqual(summed(await direct(`AND region LIKE '35.09.01.%'`)));
    const regency = await readRunGroups(db, 'tallied', ['35', '33'], '35.07');
    expect(summed(regency)).toEqual(summed(await direct(`AND regency = '35.07'`)));
    const graduation = graduationCounts(all, graduationPlan)!;
    const [row] = (await db.pool.query<{ graduated: number; exited: number; extended: number }>(
      `SELECT count(*) FILTER (WHERE graduation_outcome = 'graduated')::int AS graduated, count(*) FILTER (WHERE graduation_outcome = 'exited')::int AS exited,
         count(*) FILTER (WHERE graduation_extended)::int AS extended FROM runs WHERE rollout_id = 'tallied'`,
    )).rows;
    expect({ graduated: graduation.graduated, exited: graduation.exited, extended: graduation.extended }).toEqual(row);
    expect(graduation.graduated).toBeGreaterThan(0);
  }, 120_000);
});
