import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eventually } from '../../dev/http';
import { startStack, type Stack } from '../../dev/stack';
import { graduationPlanV1 } from '../../domain/plans/graduation';
import type { RunState } from '../../domain/run-state';
import { writeRun } from '../../records/write-run';
import { importCohort } from '../helpers/cohorts';
import { makeHousehold, uniqueRolloutId } from '../helpers/households';
import { ended, householdKeyOf, runIdFor, shortPlan, startRun, stepIs, waitForState } from '../helpers/runs';

/** Sinergi's records store: written by the workflows as they go, idempotently, and read while every worker is down. */
describe('the records store', () => {
  let stack: Stack;
  const rolloutId = uniqueRolloutId('records');
  const households = [makeHousehold(), makeHousehold({ region: '35.07.01.2001' })];
  const q = <T extends object>(sql: string, params: unknown[] = []) => stack.records.pool.query<T>(sql, params).then((r) => r.rows);

  beforeAll(async () => {
    stack = await startStack({ temporalAddress: inject('temporalAddress') });
    for (const household of households) await startRun(stack, rolloutId, household);
    for (const household of households) await waitForState(stack, runIdFor(rolloutId, household), ended, 90_000);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('holds each completed run with its attempts, under the pseudonym, the state sealed', async () => {
    const runs = await q<{ run_id: string; household_key: string; status: string; regency: string; current_step: string | null; stuck: boolean; welfare_before: string; received: string[]; sealed: string; seq: number }>(
      'SELECT * FROM runs WHERE rollout_id = $1 ORDER BY regency',
      [rolloutId],
    );
    expect(runs.map((r) => [r.regency, r.status, r.current_step, r.stuck])).toEqual([
      ['35.07', 'completed', null, false],
      ['35.09', 'completed', null, false],
    ]);
    for (const run of runs) {
      const household = households.find((h) => runIdFor(rolloutId, h) === run.run_id)!;
      expect(run.household_key).toBe(householdKeyOf(household.familyCardNumber));
      expect(run.welfare_before).toBe('extreme_poor');
      expect(run.received.sort()).toEqual(['aid-disbursement', 'micro-capital']);
      // The state names the household: sealed, never in clear.
      expect(run.sealed).toMatch(/^aes1:sinergi-dev:/);
      const row = JSON.stringify(run);
      for (const text of [household.familyCardNumber, household.headNik, household.headName]) expect(row).not.toContain(text);
      const state = JSON.parse(stack.records.cipher.open(run.sealed)) as RunState;
      expect(state.householdId).toBe(household.familyCardNumber);
      expect(state.status).toBe('completed');
    }
    const attempts = await q<{ step_key: string; attempt: number; outcome: string; closed_at: string | null; amount: number | null; agency: string }>(
      'SELECT a.* FROM step_attempts a JOIN runs r USING (run_id) WHERE r.rollout_id = $1 ORDER BY a.run_id, a.opened_at',
      [rolloutId],
    );
    const steps = graduationPlanV1.steps;
    expect(attempts).toHaveLength(households.length * steps.length);
    for (const a of attempts) {
      expect(a.attempt).toBe(1);
      expect(a.outcome).toBe('completed');
      expect(a.closed_at).not.toBeNull();
      const planned = steps.find((s) => s.key === a.step_key)!;
      expect(a.agency).toBe(planned.agency);
      if (planned.parameters.amount !== undefined) expect(a.amount).toBe(Number(planned.parameters.amount));
    }
  });

  it('applies a write only if it is newer: a retry or a late write changes nothing', async () => {
    const [run] = await q<{ run_id: string; sealed: string; seq: number; status: string }>('SELECT run_id, sealed, seq, status FROM runs WHERE rollout_id = $1 LIMIT 1', [rolloutId]);
    const state = JSON.parse(stack.records.cipher.open(run!.sealed)) as RunState;
    const householdKey = householdKeyOf(state.householdId);
    // The same write again (a retried activity), and an older one arriving late (a replay): neither applies.
    expect(await writeRun(stack.records, { seq: run!.seq, state: { ...state, status: 'running' }, householdKey })).toBe(false);
    expect(await writeRun(stack.records, { seq: run!.seq - 1, state: { ...state, status: 'running', steps: [] }, householdKey })).toBe(false);
    const [after] = await q<{ status: string; seq: number }>('SELECT status, seq FROM runs WHERE run_id = $1', [run!.run_id]);
    expect(after).toEqual({ status: 'completed', seq: run!.seq });
    const [{ n }] = (await q<{ n: number }>('SELECT count(*)::int AS n FROM step_attempts WHERE run_id = $1', [run!.run_id])) as [{ n: number }];
    expect(n).toBe(graduationPlanV1.steps.length);
  });

  // Not spawnSync: the workers answering the CLI's queries run in this process.
  const rebuild = () =>
    promisify(execFile)(process.execPath, ['--import', 'tsx', 'cli/sinergi.ts', 'records', 'rebuild', '--closed', '--rollout', rolloutId], {
      env: { ...process.env, DATABASE_URL: stack.databaseUrl, TEMPORAL_ADDRESS: inject('temporalAddress'), LOG_LEVEL: 'silent' },
      encoding: 'utf8',
      timeout: 60_000,
    });

  it('`sinergi records rebuild` re-projects runs from Temporal into a store that lost them', async () => {
    const before = await q<Record<string, unknown>>('SELECT run_id, status, household_key, region, welfare_after, received FROM runs WHERE rollout_id = $1 ORDER BY run_id', [rolloutId]);
    const attemptsBefore = await q<Record<string, unknown>>('SELECT run_id, step_key, attempt, outcome, closed_at FROM step_attempts WHERE run_id = ANY($1) ORDER BY 1, 2', [before.map((r) => r.run_id)]);
    await q('DELETE FROM runs WHERE rollout_id = $1', [rolloutId]);
    const cli = await rebuild();
    expect(cli.stdout).toContain('runs: 2 found, 2 written');
    expect(await q('SELECT run_id, status, household_key, region, welfare_after, received FROM runs WHERE rollout_id = $1 ORDER BY run_id', [rolloutId])).toEqual(before);
    expect(await q('SELECT run_id, step_key, attempt, outcome, closed_at FROM step_attempts WHERE run_id = ANY($1) ORDER BY 1, 2', [before.map((r) => r.run_id)])).toEqual(attemptsBefore);
    // Again: nothing is doubled (a later rebuild refreshes the same rows).
    await rebuild();
    expect(await q('SELECT count(*)::int AS n FROM step_attempts WHERE run_id = ANY($1)', [before.map((r) => r.run_id)])).toEqual([{ n: attemptsBefore.length }]);
  });

  it('`sinergi records rebuild` asks no run that records itself: current, even with every worker down', async () => {
    await stack.sims.control.kemensos.setBehaviour({ silent: true });
    const rollout = uniqueRolloutId('rebuild-self');
    try {
      const runId = await startRun(stack, rollout, makeHousehold());
      await waitForState(stack, runId, stepIs('aid', 'open'));
      await stack.stopWorkers();
      try {
        // A query would wait for a worker (and may harm a running run); the run's own record is current.
        const cli = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'cli/sinergi.ts', 'records', 'rebuild', '--rollout', rollout], {
          env: { ...process.env, DATABASE_URL: stack.databaseUrl, TEMPORAL_ADDRESS: inject('temporalAddress'), LOG_LEVEL: 'silent' },
          encoding: 'utf8',
          timeout: 60_000,
        });
        expect(cli.stdout).toContain('runs: 1 found, 0 written, 1 already current');
        expect(cli.stdout).not.toContain('could not be read');
      } finally {
        await stack.startWorkers();
      }
    } finally {
      await stack.sims.control.kemensos.setBehaviour({ silent: false });
    }
  });

  it('answers a rollout and the stuck list from the records while every worker is down', async () => {
    const rollout = uniqueRolloutId('records-down');
    const cohortId = await importCohort(stack, [makeHousehold(), makeHousehold()]);
    const started = await stack.call('POST', '/v1/rollouts', { rolloutId: rollout, cohortId, programId: 'graduation', version: 1, reason: 'uji catatan' });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    await eventually(async () => ((await stack.call('GET', `/v1/rollouts/${rollout}`, undefined, 'viewer')).body.runs?.total === 2 ? true : undefined), 60_000, 'two runs recorded');
    await stack.stopWorkers();
    try {
      const t0 = Date.now();
      const progress = await stack.call('GET', `/v1/rollouts/${rollout}`, undefined, 'viewer');
      const readMs = Date.now() - t0;
      expect(progress.status, JSON.stringify(progress.body)).toBe(200);
      expect(progress.body.runs.total).toBe(2);
      expect(progress.body.households).toBe(2);
      // Without a worker the rollout workflow cannot be queried: this came from the records store.
      expect(readMs).toBeLessThan(5_000);
      const stuck = await stack.call('GET', `/v1/stuck?rollout=${rollout}`, undefined, 'viewer');
      expect(stuck.status).toBe(200);
      expect(stuck.body.total).toBe(0);
      const graduation = await stack.call('GET', `/v1/rollouts/${rollout}/graduation`, undefined, 'viewer');
      expect(graduation.status).toBe(200);
    } finally {
      await stack.startWorkers();
      await stack.call('POST', `/v1/rollouts/${rollout}/cancel`, { reason: 'uji selesai' });
    }
  });

  it('answers a run as its last accepted message left it while every worker is down: read from the records, never by a query', async () => {
    await stack.sims.control.kemensos.setBehaviour({ silent: true });
    try {
      const runId = await startRun(stack, uniqueRolloutId('records-run-down'), makeHousehold(), shortPlan(graduationPlanV1));
      const open = await waitForState(stack, runId, (s) => s.steps[0]!.attempts[0]?.deadline !== undefined);
      const taskId = open.steps[0]!.attempts[0]!.taskId;
      const report = { type: 'task.progress', timestamp: new Date().toISOString(), data: { taskId, progress: { verifiedPercent: 40 } } };
      expect((await stack.webhook('kemensos', `msg_records_down_${runId}`, report)).status).toBe(200);
      // The workflow task that answered it done: stopping a worker in the middle of one trips the SDK's finalisation ("Worker still in use").
      await eventually(async () => ((await stack.client.workflow.getHandle(runId).describe()).raw.pendingWorkflowTask ? undefined : true), 30_000, 'no workflow task under way');
      await stack.stopWorkers();
      try {
        const t0 = Date.now();
        const run = await stack.call('GET', `/v1/runs/${encodeURIComponent(runId)}`, undefined, 'viewer');
        const readMs = Date.now() - t0;
        expect(run.status, JSON.stringify(run.body)).toBe(200);
        // A query would wait for a worker: this came from the records store, the progress report in it (written before the webhook was answered).
        expect(readMs).toBeLessThan(5_000);
        expect(run.body.temporal.status).toBe('RUNNING');
        expect(run.body.state.steps[0].attempts[0]).toMatchObject({ taskId, progress: [expect.objectContaining({ kind: 'progress' })] });
      } finally {
        await stack.startWorkers();
      }
    } finally {
      await stack.sims.control.kemensos.setBehaviour({ silent: false });
    }
  });
});
