import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureDatabase } from '../../records/records-db';
import { eventually, httpJson } from '../../dev/http';
import { freePort } from '../../dev/free-port';
import { visitCourseOf } from '../../agencies/visit-findings';
import { makeHousehold } from '../helpers/households';

const root = path.resolve(__dirname, '..', '..');
const dist = (file: string) => path.join(root, 'dist', file);

/**
 * What the Dockerfile and docker-compose.yml run: the compiled build under plain `node` (no tsx,
 * no TypeScript, the workflows from the prebuilt bundle), the API, the worker and the simulators
 * as processes of their own, carrying one household through the whole graduation plan.
 */
describe('the compiled build (npm run build, then node dist/...)', () => {
  const children: ChildProcess[] = [];
  const output: string[] = [];
  let dataDir: string;
  let api: string;

  beforeAll(async () => {
    // scripts/test.sh builds first; a lone run of this file builds here.
    if (!existsSync(dist('worker/workflows.bundle.js'))) execFileSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'inherit' });
    dataDir = await mkdtemp(path.join(tmpdir(), 'sinergi-dist-'));
    const [apiPort, ...simPorts] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
    api = `http://127.0.0.1:${apiPort}`;
    const agencyKeys = ['KEMENSOS', 'KEMNAKER', 'KEMENKOP', 'PEMDA'];
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_TASK_QUEUE: `dist-${randomUUID()}`,
      DATA_DIR: dataDir,
      // The records store: a database of its own on the test run's PostgreSQL, migrated by the compiled api and worker.
      DATABASE_URL: await ensureDatabase(inject('databaseUrl'), `dist_${randomUUID().replace(/-/g, '').slice(0, 12)}`),
      API_PORT: String(apiPort),
      SIM_WEBHOOK_BASE_URL: api,
      SIM_DELAY_MS: '100',
      // A free port for the worker's metrics, whatever else runs on this machine.
      WORKER_METRICS_PORT: '0',
      // Nothing listens there: no SLA is breached in this test, so no e-mail is sent.
      SMTP_URL: 'smtp://127.0.0.1:9',
      LOG_LEVEL: 'warn',
      ...Object.fromEntries(agencyKeys.flatMap((a, i) => [[`SIM_${a}_PORT`, String(simPorts[i])], [`${a}_URL`, `http://127.0.0.1:${simPorts[i]}`]])),
    };
    for (const entry of ['dev/simulators/main.js', 'worker/main.js', 'api/main.js']) {
      const child = spawn(process.execPath, [dist(entry)], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
      for (const stream of [child.stdout, child.stderr]) stream?.on('data', (chunk: Buffer) => output.push(`[${entry}] ${chunk.toString()}`));
      children.push(child);
    }
    await eventually(async () => ((await fetch(`${api}/readyz`)).ok ? true : undefined), 90_000, `the compiled API at ${api}`);
  }, 300_000);

  afterAll(async () => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
          }),
      ),
    );
    await rm(dataDir, { recursive: true, force: true });
  });

  it('ships the workflow bundle and no TypeScript', () => {
    expect(existsSync(dist('worker/workflows.bundle.js'))).toBe(true);
    const ts = execFileSync('find', [path.join(root, 'dist'), '-name', '*.ts', '-not', '-name', '*.d.ts'], { encoding: 'utf8' }).trim();
    expect(ts).toBe('');
  });

  it('runs a household through the graduation plan with the compiled API, worker and simulators, to its graduation', async () => {
    const auth = { authorization: 'Bearer dev-coordinator-key' };
    // One the simulated facilitator finds ready at the last planned visit (by its KK).
    let household = makeHousehold();
    while (visitCourseOf(household.familyCardNumber) !== 'ready') household = makeHousehold();
    const started = await httpJson('POST', `${api}/v1/runs`, { rolloutId: 'compiled-build', household }, auth);
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const runId = started.body.runId as string;
    // The shipped plan decides by criteria; a graduate's run stays open for its visits months later.
    const run = await eventually(
      async () => {
        const res = await httpJson('GET', `${api}/v1/runs/${encodeURIComponent(runId)}`, undefined, auth);
        return res.body?.state?.graduation?.outcome ? res.body : undefined;
      },
      120_000,
      `run ${runId} to graduate (${output.slice(-5).join('')})`,
    );
    expect(run.state.graduation.outcome).toBe('graduated');
    expect(run.state.status).toBe('running');
    const planned = run.state.steps.filter((s: { key: string }) => /^(aid|training|capital|follow-up-\d)$/.test(s.key));
    expect(planned.map((s: { status: string }) => s.status)).toEqual(Array(6).fill('completed'));
    expect(run.state.welfareStatus.current).not.toBe(run.state.welfareStatus.before);
  }, 180_000);
});
