import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { developmentHouseholdKey, developmentPayloadKey } from '../config/config';
import { startTemporaryPostgres } from '../dev/embedded-postgres';
import { offlineApp } from '../dev/offline-app';
import { apiKeyOf } from '../dev/stack-credentials';
import { graduationPlanV1 } from '../domain/plans/graduation';
import { initialRolloutState, RolloutPaceSchema } from '../domain/rollout';
import { initialRunState, openAttempt, startStep } from '../domain/run-machine';
import { runIdOf } from '../domain/ids';
import { householdPseudonym } from '../lib/household-pseudonym';
import { RecordCipher } from '../lib/record-cipher';
import { ensureDatabase, migrateRecords, openRecordsDb, type RecordsDb } from '../records/records-db';
import { writeRollout } from '../records/write-rollout';
import { writeRun } from '../records/write-run';
import { benchRegencies } from './fill-runs';

/**
 * The records store's reads under load: fills a fresh embedded PostgreSQL with `runs` runs (every
 * n-th stuck) through the same write the workflows' record activity makes (records/write-run.ts,
 * one sealed transaction per run), and one rollout of `rolloutHouseholds`; then times, over real
 * HTTP against the API (its Temporal connection dead: nothing here asks Temporal), GET /v1/stuck
 * with filters and GET /v1/rollouts/{id}, and prints median and p95.
 * Usage: npm run bench:stuck -- [runs=50000] [stuckPercent=10] [rolloutHouseholds=100000] [calls=30]
 */
async function main(): Promise<void> {
  const [runs = 50_000, stuckPercent = 10, rolloutHouseholds = 100_000, calls = 30] = process.argv.slice(2).map(Number);
  const postgres = await startTemporaryPostgres();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'sinergi-bench-'));
  const cipher = new RecordCipher([developmentPayloadKey]);
  const url = await ensureDatabase(postgres.url, 'sinergi');
  await migrateRecords(url);
  const db = openRecordsDb(url, cipher, { max: 16 });
  const { app, close } = offlineApp({ records: db, dataDir: { root: dataDir, cipher }, rateLimits: { apiPerMinute: 1_000_000, webhooksPerMinute: 1_000_000, signInsPerMinute: 100 } });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const t0 = Date.now();
    const every = Math.round(100 / stuckPercent);
    await fill(db, runs, (n) => ({ rolloutId: `bench-${n % 4}`, stuck: n % every === 0, regency: benchRegencies[Math.floor(n / 7) % benchRegencies.length]! }));
    const stuck = Math.ceil(runs / every);
    console.log(`records: ${runs} runs, ${stuck} stuck (and below, the big rollout's runs: every 50th stuck), written in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const t1 = Date.now();
    await fill(db, rolloutHouseholds, (n) => ({ rolloutId: 'bench-big', stuck: n % 50 === 0, regency: benchRegencies[n % benchRegencies.length]!, offset: runs }));
    await writeRollout(db, {
      seq: 1,
      input: { rolloutId: 'bench-big', plan: graduationPlanV1, cohortId: 'c-00000000000000000000', households: rolloutHouseholds, startedBy: 'bench', startedAt: new Date().toISOString(), pace: RolloutPaceSchema.parse({}) },
      state: { ...initialRolloutState(), status: 'running', allStarted: true },
    });
    console.log(`records: rollout bench-big of ${rolloutHouseholds} households, written in ${((Date.now() - t1) / 1000).toFixed(1)} s`);
    await db.pool.query('ANALYZE');

    const time = async (label: string, path: string) => {
      const times: number[] = [];
      let body: Record<string, unknown> = {};
      for (let i = 0; i < calls; i++) {
        const s = performance.now();
        const res = await fetch(`${api}${path}`, { headers: { authorization: `Bearer ${apiKeyOf('manager')}` } });
        body = (await res.json()) as Record<string, unknown>;
        times.push(performance.now() - s);
        if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${JSON.stringify(body)}`);
      }
      times.sort((a, b) => a - b);
      const pct = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(1);
      const found = body.total ?? (body.runs as { total?: number } | undefined)?.total ?? '-';
      console.log(`  ${label.padEnd(60)} ${pct(0.5).padStart(8)} ${pct(0.95).padStart(8)} ${String(found).padStart(8)}`);
    };
    console.log(`\nGET, ${calls} calls each (manager, national)                    median ms   p95 ms    total`);
    for (const query of ['', 'agency=kemensos', 'region=35.09', 'region=35&program=graduation&pageSize=100', 'rollout=bench-2&minAge=PT1S', 'pageSize=50&offset=2000']) {
      await time(`/v1/stuck?${query}`, `/v1/stuck?${query}`);
    }
    await time(`/v1/rollouts/bench-big (${rolloutHouseholds} households)`, '/v1/rollouts/bench-big');
  } finally {
    server.close();
    await close();
    await db.pool.end();
    await postgres.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

const householdKeyOf = householdPseudonym(developmentHouseholdKey);

/** Runs waiting at their first task (every `stuck` one past its deadline), written 16 at a time. */
async function fill(db: RecordsDb, count: number, shape: (n: number) => { rolloutId: string; stuck: boolean; regency: string; offset?: number }): Promise<void> {
  const now = Date.now();
  let next = 0;
  const writer = async () => {
    for (let n = next++; n < count; n = next++) {
      const { rolloutId, stuck, regency, offset = 0 } = shape(n);
      const familyCardNumber = `9${String(n + offset).padStart(15, '0')}`;
      const household = { familyCardNumber, headNik: '3509014507850003', headName: 'Bench Household', region: `${regency}.01.2001`, decile: 1, welfareStatus: 'extreme_poor' as const };
      const runId = runIdOf(rolloutId, householdKeyOf(familyCardNumber));
      const state = initialRunState({ runId, rolloutId, household, plan: graduationPlanV1 }, new Date(now - 86_400_000));
      const step = state.steps[0]!;
      startStep(state, step, new Date(now - 86_400_000));
      const attempt = openAttempt(state, step, 1);
      attempt.openedAt = new Date(now - 86_400_000).toISOString();
      attempt.deadline = new Date(stuck ? now - 3_600_000 : now + 14 * 86_400_000).toISOString();
      if (stuck) step.stuck = true;
      await writeRun(db, { seq: 1, state, householdKey: householdKeyOf(familyCardNumber), ...(stuck && { stuckSince: new Date(now - 3_600_000 + (n % 1000)).toISOString() }) });
      if ((n + 1) % 10_000 === 0) process.stdout.write(`\r  ${n + 1} written`);
    }
  };
  await Promise.all(Array.from({ length: 16 }, writer));
  process.stdout.write('\r');
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
