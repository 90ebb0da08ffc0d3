import { appendFileSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { agencies, type Agency } from '../../domain/agency';
import { rolloutRunsQuery } from '../../domain/rollout-runs-query';
import { freeClusterPorts, type ClusterPorts } from '../../dev/cluster/cluster-ports';
import { startCluster, type Cluster } from '../../dev/cluster/start-cluster';
import { eventually, httpJson } from '../../dev/http';
import { syntheticCohortCsv, syntheticHousehold } from '../../dev/synthetic-cohort';

/**
 * The production topology as npm run cluster starts it (the same code: a Temporal server v1.29.1
 * on PostgreSQL, two workers, the API and the simulators from the compiled build), under a
 * rollout of 300 households during which the worker running the rollout's batch is killed -9 and
 * the Temporal server is restarted. Every household must complete exactly once, and the four
 * witnesses (Temporal's visibility, the records store, the ministries and the rollout's own
 * counts) must agree.
 */
const households = 300;
const rolloutId = `cluster-${Date.now().toString(36)}`;
const auth = { authorization: 'Bearer dev-coordinator-key' };
const plannedSteps = ['aid', 'training', 'capital', 'follow-up-1', 'follow-up-2', 'follow-up-3'];
const stepsOf: Record<Agency, string[]> = { kemensos: ['aid'], kemnaker: ['training'], kemenkop: ['capital'], pemda: ['follow-up-1', 'follow-up-2', 'follow-up-3'] };
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

interface SimulatedTask {
  taskId: string;
  householdId: string;
  requests: number;
  opened: number;
  outcome?: string;
  webhookStatus?: number;
}

describe('the cluster (npm run cluster) under a worker kill and a Temporal restart', () => {
  let dir: string;
  let logFile: string;
  let ports: ClusterPorts;
  let cluster: Cluster | undefined;
  let connection: Connection;
  let client: Client;
  const figures: Record<string, string | number> = {};
  let failed = false;
  const options = () => ({
    dir,
    ports,
    workers: 2,
    agencyWorkers: 0,
    // Quick ministries; the processes' own warnings only, into the log file.
    env: { SIM_DELAY_MS: '200', LOG_LEVEL: 'warn' },
    onLine: (name: string, line: string) => appendFileSync(logFile, `[${name}] ${line}\n`),
  });
  const api = (method: string, url: string, body?: unknown) => httpJson(method, `${cluster!.apiUrl}${url}`, body, auth);
  const countRuns = async (clause = '') => (await client.workflow.count(`${rolloutRunsQuery(rolloutId)}${clause}`)).count;
  // The app processes' last lines (the Temporal server's own are in the file).
  const logTail = async () => (await readFile(logFile, 'utf8').catch(() => '')).split('\n').filter((l) => !l.startsWith('[temporal')).slice(-40).join('\n');

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sinergi-cluster-'));
    // PostgreSQL runs as the postgres user when the tests run as root: it must walk into the directory.
    await chmod(dir, 0o755);
    logFile = path.join(dir, 'cluster.log');
    ports = await freeClusterPorts();
    const started = Date.now();
    cluster = await startCluster(options());
    figures['cluster start (fresh databases)'] = seconds(Date.now() - started);
    connection = await Connection.connect({ address: cluster.temporalAddress });
    client = new Client({ connection, namespace: cluster.namespace });
  }, 240_000);

  afterAll(async () => {
    await connection?.close();
    await cluster?.stop();
    console.log(`cluster figures:\n${Object.entries(figures).map(([k, v]) => `  ${k}: ${v}`).join('\n')}`);
    // A failed run keeps its directory (databases, logs) to be looked into: startCluster on it again.
    if (failed) console.log(`kept for inspection: ${dir}`);
    else await rm(dir, { recursive: true, force: true });
  }, 120_000);

  it('completes every household exactly once, by every witness', async () => {
    onTestFailed(async () => {
      failed = true;
      console.log(`last lines of the app processes' output (all of it in ${logFile}):\n${await logTail()}`);
    });
    const csv = [...syntheticCohortCsv(households, 8)].join('');
    const imported = await httpJson('POST', `${cluster!.apiUrl}/v1/cohorts`, csv, { ...auth, 'content-type': 'text/csv' });
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);
    // Version 1 ends each run at its last visit (version 2 keeps graduates open for visits months later).
    // 10 starts a second in batches of 50: half a minute of starting, so the faults land mid-rollout.
    const rolloutStartedAt = Date.now();
    const started = await api('POST', '/v1/rollouts', {
      rolloutId,
      cohortId: imported.body.cohortId,
      programId: 'graduation',
      version: 1,
      reason: 'uji klaster',
      pace: { batchSize: 50, startsPerSecond: 10, watchEvery: '2 s' },
    });
    expect(started.status, JSON.stringify(started.body)).toBe(201);

    // kill -9 the worker running the rollout's batch, once it is into its second batch.
    const workflowId = `rollout:${rolloutId}`;
    const runningBatch = async () => {
      const described = await connection.workflowService.describeWorkflowExecution({ namespace: cluster!.namespace, execution: { workflowId } });
      return (described.pendingActivities ?? []).find((a) => a.activityType?.name === 'startRolloutBatch' && a.lastWorkerIdentity);
    };
    const victim = await eventually(
      async () => {
        if ((await countRuns()) < 60) return undefined;
        const batch = await runningBatch();
        const pid = Number(batch?.lastWorkerIdentity?.split('@')[0]);
        return cluster!.workers.find((w) => w.current.process.pid === pid);
      },
      120_000,
      'the rollout into its second batch',
    );
    const runsAtKill = await countRuns();
    const killedAt = Date.now();
    victim.current.process.kill('SIGKILL');
    // What the dead worker had already asked the server to start may still become visible: settle first.
    let baseline = runsAtKill;
    while (Date.now() - killedAt < 1_500) {
      baseline = Math.max(baseline, await countRuns());
      await new Promise((r) => setTimeout(r, 250));
    }
    const resumedAt = await eventually(async () => ((await countRuns()) > baseline ? Date.now() : undefined), 60_000, 'the rollout starting runs again after the kill');
    const retriedBatch = await runningBatch();
    const restarted = cluster!.events.find((e) => e.name === victim.name && e.kind === 'restarted' && e.at >= killedAt);
    figures['runs started when the worker was killed'] = `${runsAtKill} (${baseline} once settled)`;
    figures['kill -9 of the batch worker -> runs starting again'] = seconds(resumedAt - killedAt);
    figures['batch attempt after the kill'] = `${retriedBatch?.attempt ?? 'ended'} on ${retriedBatch?.lastWorkerIdentity ?? '-'}`;
    figures['killed worker restarted by the supervisor after'] = restarted ? seconds(restarted.at - killedAt) : 'not restarted';
    expect(resumedAt - killedAt, 'the batch resumes within 15 s of its worker dying').toBeLessThanOrEqual(15_000);

    // The rollout's own started count moves on again too (it counts a batch when the batch ends).
    const startedBefore = (await api('GET', `/v1/rollouts/${rolloutId}`)).body.starting.started as number;
    const startedCountAt = await eventually(
      async () => ((await api('GET', `/v1/rollouts/${rolloutId}`)).body.starting.started > startedBefore ? Date.now() : undefined),
      60_000,
      "the rollout's started count to increase",
    );
    figures["kill -9 -> the rollout's starting.started increases"] = seconds(startedCountAt - killedAt);

    // Restart the Temporal server on the same databases while runs are still being started.
    const runsAtRestart = await countRuns();
    const restartAt = Date.now();
    await cluster!.restartTemporal();
    figures['Temporal server restart (stop, start, frontend answering)'] = seconds(Date.now() - restartAt);
    figures['runs started when Temporal was restarted'] = runsAtRestart;

    const finished = await eventually(
      async () => {
        const res = await api('GET', `/v1/rollouts/${rolloutId}`);
        return res.body?.status === 'completed' ? res.body : undefined;
      },
      480_000,
      'the rollout to complete',
    );
    figures['rollout, start to completed'] = seconds(Date.now() - rolloutStartedAt);
    figures['rollout progress (GET /v1/rollouts/{id}): starting, runs'] = `${JSON.stringify(finished.starting)}, ${JSON.stringify(finished.runs)}`;
    // Each witness is checked on its own (soft), so a failure shows which ones disagree.
    expect.soft(finished.starting).toMatchObject({ read: households, started: households, allStarted: true });
    expect.soft(finished.runs).toMatchObject({ total: households, running: 0, completed: households, failed: 0, rejected: 0, cancelled: 0 });

    // Temporal's visibility: every run of the rollout completed, none still running or closed otherwise.
    const visibility = {
      completed: await countRuns(" AND ExecutionStatus = 'Completed'"),
      running: await countRuns(" AND ExecutionStatus = 'Running'"),
      other: await countRuns(" AND ExecutionStatus != 'Completed'"),
    };
    figures['visibility: runs completed / running / otherwise closed'] = `${visibility.completed} / ${visibility.running} / ${visibility.other}`;
    expect.soft(visibility).toEqual({ completed: households, running: 0, other: 0 });

    // The records store: one completed run per household, one first attempt per step each.
    const db = new pg.Client(cluster!.databaseUrl);
    await db.connect();
    try {
      const runs = await db.query('SELECT status, count(*)::int AS n FROM runs WHERE rollout_id = $1 GROUP BY status', [rolloutId]);
      const attempts = await db.query(
        `SELECT a.step_key, count(*)::int AS n, count(DISTINCT a.run_id)::int AS runs, max(a.attempt) AS max_attempt,
                count(*) FILTER (WHERE a.outcome = 'completed')::int AS completed
           FROM step_attempts a JOIN runs r USING (run_id) WHERE r.rollout_id = $1 GROUP BY a.step_key ORDER BY a.step_key`,
        [rolloutId],
      );
      figures['records: runs by status'] = JSON.stringify(Object.fromEntries(runs.rows.map((r) => [r.status, r.n])));
      figures['records: attempts per step'] = attempts.rows.map((r) => `${r.step_key} ${r.n}`).join(', ');
      // A run the records store has not seen end: what it holds, and what Temporal says of it.
      const behind = await db.query('SELECT run_id, status, current_step, seq, recorded_at FROM runs WHERE rollout_id = $1 AND status <> $2 LIMIT 5', [rolloutId, 'completed']);
      for (const row of behind.rows) {
        const described = await connection.workflowService.describeWorkflowExecution({ namespace: cluster!.namespace, execution: { workflowId: row.run_id } });
        const info = described.workflowExecutionInfo;
        const history = await client.workflow.getHandle(row.run_id).fetchHistory();
        const markers = (history.events ?? []).filter((e) => e.markerRecordedEventAttributes).length;
        const mentions = (await readFile(logFile, 'utf8')).split('\n').filter((l) => l.includes(row.run_id) && !l.startsWith('[temporal')).slice(-5);
        figures[`records behind Temporal: ${row.run_id}`] =
          `records ${row.status} at ${row.current_step} (seq ${row.seq}, recorded ${row.recorded_at}); Temporal status ${info?.status}, closed ${info?.closeTime?.seconds ?? '-'}, ` +
          `${info?.historyLength} events of which ${markers} local-activity markers; app log lines naming it: ${mentions.join(' | ') || 'none'}`;
      }
      expect.soft(runs.rows).toEqual([{ status: 'completed', n: households }]);
      expect.soft(attempts.rows.map((r) => r.step_key).sort()).toEqual([...plannedSteps].sort());
      for (const row of attempts.rows) expect.soft(row, row.step_key).toMatchObject({ n: households, runs: households, max_attempt: 1, completed: households });
    } finally {
      await db.end();
    }

    // The ministries: each opened each task once, one per household and step, and heard back 200.
    for (const agency of agencies) {
      const tasks = ((await httpJson('GET', `${cluster!.simulatorUrls[agency]}/_simulator/tasks`)).body as SimulatedTask[]).filter((t) => t.taskId.startsWith(`run:${rolloutId}:`));
      const ids = tasks.map((t) => t.taskId);
      expect.soft(new Set(ids).size, `${agency}: no task id twice`).toBe(ids.length);
      expect.soft(tasks.length, `${agency} tasks`).toBe(households * stepsOf[agency].length);
      for (const step of stepsOf[agency]) {
        const ofStep = tasks.filter((t) => t.taskId.split(':')[3] === step);
        expect.soft(new Set(ofStep.map((t) => t.householdId)).size, `${agency} ${step}: distinct households`).toBe(households);
        expect.soft(ofStep.every((t) => t.taskId.endsWith(':1')), `${agency} ${step}: first attempts only`).toBe(true);
      }
      expect.soft(tasks.filter((t) => t.opened !== 1), `${agency}: each opened once`).toEqual([]);
      expect.soft(tasks.filter((t) => t.outcome !== 'completed' || t.webhookStatus !== 200).map((t) => t.taskId), `${agency}: reported and answered 200`).toEqual([]);
      figures[`${agency}: tasks`] = `${tasks.length} (${tasks.filter((t) => t.requests > 1).length} asked again after a crash or restart, answered with the same task)`;
    }

    // No household's KK, NIK or name in any process's log: the app processes' warnings and errors through a kill -9 and a restart, and the Temporal server's own.
    const log = await readFile(logFile, 'utf8');
    const cohort = Array.from({ length: households }, (_, n) => syntheticHousehold(n, 8));
    const personal = [...new Set(cohort.flatMap((h) => [h.familyCardNumber, h.headNik, h.headName]))];
    expect.soft(personal.filter((value) => log.includes(value)), 'personal data in the processes\' logs').toEqual([]);
    figures['log lines checked for personal data'] = log.split('\n').length;
  }, 600_000);

  it('keeps everything across a stop and a start on the same directory', async () => {
    await connection.close();
    await cluster!.stop();
    const started = Date.now();
    cluster = await startCluster(options());
    figures['cluster start (existing databases)'] = seconds(Date.now() - started);
    connection = await Connection.connect({ address: cluster.temporalAddress });
    client = new Client({ connection, namespace: cluster.namespace });
    const progress = await api('GET', `/v1/rollouts/${rolloutId}`);
    expect(progress.status).toBe(200);
    expect(progress.body.status).toBe('completed');
    expect(progress.body.runs.total).toBe(households);
    expect(await countRuns(" AND ExecutionStatus = 'Completed'")).toBe(households);
  }, 240_000);
});
