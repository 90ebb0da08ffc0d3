import { loadavg } from 'node:os';
import { status as grpcStatus } from '@grpc/grpc-js';
import { Client } from '@temporalio/client';
import { apiClient } from '../cli/api-client';
import { loadConfig } from '../config/config';
import { agencies } from '../domain/agency';
import type { StepKind } from '../domain/step-kind';
import type { TaskResult } from '../domain/task-outcome';
import type { WebhookEvent } from '../domain/webhook-event';
import { baselineTasks, taskReportUpdate } from './baseline/baseline-workflow';
import { launch, startBenchStack, waitForHttp } from './bench-processes';
import { cpuOfProcesses, machineCpuSeconds, machineDescription } from './process-cpu';
import { benchPlan } from './rollout-throughput';
import { openedTasks, percentile, sendWebhook, silenceMinistries, startBenchRollout, type HeldTask, type WebhookAnswer } from './silent-ministries';

/**
 * Webhook latency at a fixed rate, open loop: signed webhooks sent on a fixed clock (never
 * waiting for answers, so a slow server shows as latency, not as a lower rate) to open tasks of
 * running runs, the ministries' simulators silent so that runs wait at their tasks. Each task gets
 * `progressPerTask` progress reports, then one outcome (completed), after which its run opens its
 * next task, which takes its place. Latency is from the scheduled send to the answer.
 * With --baseline, the same clock, mix and pool against bare workflows on the same kind of server
 * (bench/baseline: an activity doing nothing per task, an update per report, sent by this process
 * straight to Temporal): what the engine alone makes of that rate on this machine.
 * Prints figures; never fails on a time.
 * Usage: npm run bench:webhooks -- [rps=200] [seconds=60] [--baseline]
 */
const args = process.argv.slice(2);
const baseline = args.includes('--baseline');
const [rpsArg, secondsArg] = args.filter((a) => a !== '--baseline');
const rps = rpsArg ? Number(rpsArg) : 200;
const seconds = secondsArg ? Number(secondsArg) : 60;
if (!(rps > 0) || !(seconds > 0) || args.some((a) => a.startsWith('--') && a !== '--baseline')) throw new Error('usage: npm run bench:webhooks -- [rps=200] [seconds=60] [--baseline]');
const warmupSeconds = 5;
/** 4 progress reports, then the outcome: 80 % progress, 20 % outcomes. */
const progressPerTask = 4;
/** Each run is sized to take this many outcomes at most (of the plan's 6 steps), so none completes and leaves the pool short. */
const outcomesPerRun = 3;
/** The API waits 15 s for the run before answering 5xx; a sender gives up a little earlier. */
const timeoutMs = 10_000;
/** What a ministry's sender with a 1-second timeout would have retried. */
const senderTimeoutMs = 1_000;
/** Reports in flight to one task at most: Temporal refuses more than 10 updates in flight per run (history.maxInFlightUpdates). */
const maxInFlightPerTask = 5;
const apiKey = 'dev-coordinator-key';

/** A completed task's result, as each step kind requires it (domain/task-outcome.ts) for the plan without criteria. */
const completedResult: Record<StepKind, () => TaskResult> = {
  'aid-disbursement': () => ({
    amount: 750_000,
    transferReference: `TRF-BENCH-${Date.now().toString(36).toUpperCase()}`,
  }),
  'job-training': () => ({ attendancePercent: 90, passed: true }),
  'micro-capital': () => ({
    amount: 5_000_000,
    scheme: 'UMi',
    accountNumber: '0123456789',
  }),
  'follow-up-visit': () => ({
    observedWelfareStatus: 'poor',
    visitedOn: new Date().toISOString().slice(0, 10),
  }),
};

/** A task reports go to: a simulator's (HeldTask), or a bare workflow's step in the baseline. */
interface PooledTask {
  taskId: string;
}

type OpenTask<T extends PooledTask> = T & {
  progressSent: number;
  inFlight: number;
};

type ReportKind = 'progress' | 'outcome';

interface Sent extends WebhookAnswer {
  kind: ReportKind;
  scheduledAt: number;
  /** When it went out: later than scheduled when the driver falls behind. */
  startedAt: number;
  measured: boolean;
}

const ms = (x: number) => `${x.toFixed(0)} ms`;

/**
 * The open tasks webhooks go to, in turn: a task is taken from the front and put back at the
 * end, so reports to one task are spread out. Its outcome goes only once every earlier report to
 * it has been answered (an outcome overtaking a progress report would turn that one into a 409).
 */
class TaskPool<T extends PooledTask> {
  private readonly queue: OpenTask<T>[] = [];
  private readonly seen = new Set<string>();

  get size(): number {
    return this.queue.length;
  }

  /** Adds the tasks not seen before; answers how many. */
  add(tasks: T[]): number {
    const fresh = tasks.filter((t) => !this.seen.has(t.taskId));
    for (const t of fresh) {
      this.seen.add(t.taskId);
      this.queue.push({ ...t, progressSent: 0, inFlight: 0 });
    }
    return fresh.length;
  }

  next(): { task: OpenTask<T>; kind: ReportKind } | undefined {
    for (let tries = this.queue.length; tries > 0; tries--) {
      const task = this.queue.shift()!;
      const kind = task.progressSent >= progressPerTask ? 'outcome' : 'progress';
      if ((kind === 'outcome' && task.inFlight > 0) || task.inFlight >= maxInFlightPerTask) {
        this.queue.push(task);
        continue;
      }
      if (kind === 'progress') {
        task.progressSent += 1;
        this.queue.push(task);
      }
      task.inFlight += 1;
      return { task, kind };
    }
    return undefined;
  }
}

/**
 * What the clock sends to: the processes measured, the pool of open tasks (filled with each run's
 * first task), how one report goes out, and how it all stops.
 */
interface Target<T extends PooledTask> {
  processes: Record<string, number | undefined>;
  /** The records store's server, when the target writes one. */
  postgresPid?: number;
  pool: TaskPool<T>;
  /** Once a second while sending: adds the tasks opened since. */
  refill(): Promise<void>;
  send(task: OpenTask<T>, kind: ReportKind, i: number, scheduledAt: number): Promise<WebhookAnswer>;
  stop(): Promise<void>;
}

type BenchStack = Awaited<ReturnType<typeof startBenchStack>>;

/** Waits until the pool holds `runs` tasks, each run's first, polling `opened` once a second. */
async function fillPool<T extends PooledTask>(pool: TaskPool<T>, runs: number, opened: () => Promise<T[]>): Promise<void> {
  for (let stalledSince = performance.now(); pool.size < runs;) {
    await new Promise((r) => setTimeout(r, 1_000));
    if (pool.add(await opened()) > 0) stalledSince = performance.now();
    if (performance.now() - stalledSince > 120_000) throw new Error(`only ${pool.size} of ${runs} first tasks opened, none more in 120 s`);
  }
}

/** Sinergi: the API, the worker and the silent simulators; signed webhooks to the API. */
async function sinergiTarget(stack: BenchStack, runs: number, id: string): Promise<Target<HeldTask>> {
  const { dir, server, env, apiUrl, simUrls } = stack;
  // The secrets the API checks and the simulators sign with: each ministry's current one.
  const secrets = loadConfig({ ...process.env, ...env }).webhooks.secrets;
  const children = [launch('simulators', 'dev/simulators/main.ts', env), launch('worker', 'worker/main.ts', env), launch('api', 'api/main.ts', env)];
  const [simulators, worker, api] = children;
  const stop = () => stack.stop(children);
  try {
    await waitForHttp(`${apiUrl}/readyz`);
    await Promise.all(agencies.map((a) => waitForHttp(`${simUrls[a]}/_simulator/healthz`)));
    // Silent ministries open tasks and never answer: the bench answers for them.
    await silenceMinistries(simUrls);
    console.log(`runs: ${runs} of ${benchPlan.programId} v${benchPlan.version}, simulators silent; starting...`);
    await startBenchRollout(apiClient({ apiUrl, apiKey }), dir, runs, 1, 'webhooks');
    const pool = new TaskPool<HeldTask>();
    // Each run's next task (after an outcome) joins the pool as the simulators receive it.
    await fillPool(pool, runs, () => openedTasks(simUrls));
    return {
      processes: {
        'temporal server': server.process.pid,
        worker: worker?.process.pid,
        api: api?.process.pid,
        simulators: simulators?.process.pid,
        'bench driver': process.pid,
      },
      postgresPid: stack.postgresPid,
      pool,
      refill: async () => void pool.add(await openedTasks(simUrls)),
      send: (task, kind, i, scheduledAt) => {
        const timestamp = new Date().toISOString();
        const event: WebhookEvent =
          kind === 'outcome'
            ? {
                type: 'task.completed',
                timestamp,
                data: {
                  taskId: task.taskId,
                  result: completedResult[task.kind](),
                },
              }
            : {
                type: 'task.progress',
                timestamp,
                data: {
                  taskId: task.taskId,
                  progress: { percent: task.progressSent * 20 },
                },
              };
        return sendWebhook(`${apiUrl}/v1/webhooks/${task.agency}`, secrets[task.agency][0]!, `msg_bench_${id}_${i}`, event, scheduledAt, timeoutMs);
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** A bare workflow's open task: step `step` of workflow `workflowId`. */
interface BareTask extends PooledTask {
  workflowId: string;
  step: number;
}
const bareTask = (workflowId: string, step: number): BareTask => ({
  taskId: `${workflowId}#${step}`,
  workflowId,
  step,
});

/**
 * The baseline: bare workflows on the same kind of server, served by a worker of their own; each
 * report an update this process sends straight to Temporal, answered when the update completes
 * (what the API waits for before its 2xx), counted as a 2xx.
 */
async function baselineTarget(stack: BenchStack, runs: number, id: string): Promise<Target<BareTask>> {
  const taskQueue = 'baseline';
  const worker = launch('baseline-worker', 'bench/baseline/baseline-worker.ts', stack.env, [stack.server.address, taskQueue]);
  const stop = () => stack.stop([worker]);
  try {
    const client = new Client({ connection: stack.connection });
    console.log(`runs: ${runs} bare workflows (bench/baseline baselineTasks); starting...`);
    const pool = new TaskPool<BareTask>();
    for (let n = 0; n < runs; n += 8) {
      const ids = Array.from({ length: Math.min(8, runs - n) }, (_, j) => `baseline-${id}-${n + j}`);
      // More steps than the run can be sent outcomes for: none completes and leaves the pool short.
      await Promise.all(
        ids.map((workflowId) =>
          client.workflow.start(baselineTasks, {
            taskQueue,
            workflowId,
            args: [1_000],
          }),
        ),
      );
      pool.add(ids.map((workflowId) => bareTask(workflowId, 0)));
    }
    return {
      processes: {
        'temporal server': stack.server.process.pid,
        'baseline worker': worker.process.pid,
        'bench driver': process.pid,
      },
      pool,
      refill: async () => undefined,
      send: async (task, kind, i, scheduledAt) => {
        try {
          await client.withDeadline(Date.now() + timeoutMs, () =>
            client.workflow.getHandle(task.workflowId).executeUpdate(taskReportUpdate, {
              args: [{ step: task.step, outcome: kind === 'outcome' }],
              updateId: `bench-${id}-${i}`,
            }),
          );
          // The run opens its next task now; a report reaching it a moment early is taken all the same.
          if (kind === 'outcome') pool.add([bareTask(task.workflowId, task.step + 1)]);
          return { status: 200, latencyMs: performance.now() - scheduledAt };
        } catch (err) {
          return {
            failure: (err as { code?: number }).code === grpcStatus.DEADLINE_EXCEEDED || /deadline/i.test(String(err)) ? 'timeout' : 'network error',
          };
        }
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function main(): Promise<void> {
  const uptimeBefore = loadavg();
  const stack = await startBenchStack('bench-webhooks');
  const total = Math.ceil(rps * (warmupSeconds + seconds));
  const runs = Math.max(50, Math.ceil(total / (progressPerTask + 1) / outcomesPerRun));
  const id = Date.now().toString(36);
  console.log(`machine: ${machineDescription()}`);
  console.log(`date: ${new Date().toISOString()}`);
  console.log(`load average before (1/5/15 min): ${uptimeBefore.map((l) => l.toFixed(2)).join(' ')}`);
  console.log(
    `rate: ${rps}/s for ${seconds} s after a ${warmupSeconds}-s warm-up (${total} ${baseline ? 'updates to bare workflows' : 'webhooks'}: ${progressPerTask} progress reports then 1 outcome per task), timeout ${timeoutMs / 1000} s`,
  );
  const startedAt = performance.now();
  const measure = async <T extends PooledTask>(target: Target<T>) => {
    try {
      console.log(`${runs} runs waiting at their first task in ${((performance.now() - startedAt) / 1000).toFixed(1)} s\n`);
      await drive(target, total);
    } finally {
      await target.stop();
    }
  };
  await (baseline ? measure(await baselineTarget(stack, runs, id)) : measure(await sinergiTarget(stack, runs, id)));
  console.log(
    `load average after (1/5/15 min): ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
}

/** Sends `total` reports on the clock, then prints the figures. */
async function drive<T extends PooledTask>(target: Target<T>, total: number): Promise<void> {
  const { pool } = target;
  let polling = true;
  const poller = (async () => {
    while (polling) {
      await new Promise((r) => setTimeout(r, 1_000));
      await target.refill();
    }
  })();
  const cpuOf = () => cpuOfProcesses(target.processes, target.postgresPid);
  const sent: Sent[] = [];
  const pending: Promise<void>[] = [];
  let noOpenTask = 0;
  let cpuBefore: Record<string, number> = {};
  let machineBefore = machineCpuSeconds();
  let measureStart = 0;
  const t0 = performance.now();
  const warmupEnd = t0 + warmupSeconds * 1000;
  for (let i = 0; i < total;) {
    const now = performance.now();
    if (!measureStart && now >= warmupEnd) {
      measureStart = now;
      cpuBefore = cpuOf();
      machineBefore = machineCpuSeconds();
    }
    // Every send now due, each at its own scheduled time: a late wake-up sends a burst, not fewer.
    for (; i < total && t0 + (i * 1000) / rps <= now; i++) {
      const scheduledAt = t0 + (i * 1000) / rps;
      const picked = pool.next();
      if (!picked) {
        noOpenTask += 1;
        continue;
      }
      const { task, kind } = picked;
      const record: Sent = {
        kind,
        scheduledAt,
        startedAt: performance.now(),
        measured: scheduledAt >= warmupEnd,
      };
      sent.push(record);
      pending.push(
        target.send(task, kind, i, scheduledAt).then((answer) => {
          Object.assign(record, answer);
          task.inFlight -= 1;
        }),
      );
    }
    const nextAt = t0 + (i * 1000) / rps;
    if (i < total) await new Promise((r) => setTimeout(r, Math.max(0, nextAt - performance.now())));
  }
  const scheduleEnd = t0 + (total * 1000) / rps;
  await Promise.all(pending);
  const cpuAfter = cpuOf();
  const machineAfter = machineCpuSeconds();
  polling = false;
  await poller;

  const measured = sent.filter((s) => s.measured);
  const window = (scheduleEnd - measureStart) / 1000;
  const ok = measured.filter((s) => s.status !== undefined && s.status >= 200 && s.status < 300);
  const latencies = ok.map((s) => s.latencyMs!).sort((a, b) => a - b);
  const byKind = (kind: Sent['kind']) =>
    ok
      .filter((s) => s.kind === kind)
      .map((s) => s.latencyMs!)
      .sort((a, b) => a - b);
  const summary = (l: number[]) => `p50 ${ms(percentile(l, 0.5))}, p95 ${ms(percentile(l, 0.95))}, p99 ${ms(percentile(l, 0.99))}, max ${ms(l.at(-1) ?? NaN)}`;
  const refused = new Map<string, number>();
  for (const s of measured) {
    const key = s.failure ?? (s.status !== undefined && (s.status < 200 || s.status >= 300) ? `HTTP ${s.status}` : undefined);
    if (key) refused.set(key, (refused.get(key) ?? 0) + 1);
  }
  const starts = measured.map((s) => s.startedAt);
  const lag = measured.map((s) => s.startedAt - s.scheduledAt).sort((a, b) => a - b);
  const achieved = starts.length > 1 ? (starts.length - 1) / ((Math.max(...starts) - Math.min(...starts)) / 1000) : NaN;

  console.log('== Results ==');
  console.log(
    `sent ${measured.length} ${baseline ? 'updates' : 'webhooks'} in the ${window.toFixed(1)}-s measured window (${rps}/s asked): achieved ${achieved.toFixed(1)}/s; driver lag behind the clock p99 ${ms(percentile(lag, 0.99))}, max ${ms(lag.at(-1) ?? NaN)}`,
  );
  if (noOpenTask) console.log(`  not sent, no open task in the pool: ${noOpenTask} (start more runs)`);
  console.log(`2xx: ${ok.length}; send → 2xx ${summary(latencies)}`);
  console.log(`  progress reports (${byKind('progress').length}): ${summary(byKind('progress'))}`);
  console.log(`  outcomes (${byKind('outcome').length}): ${summary(byKind('outcome'))}`);
  console.log(
    `  over ${senderTimeoutMs / 1000} s (a sender with a ${senderTimeoutMs / 1000}-s timeout would retry): ${latencies.filter((l) => l > senderTimeoutMs).length + (refused.get('timeout') ?? 0)}`,
  );
  console.log(`not 2xx or no answer: ${refused.size ? [...refused].map(([k, n]) => `${k}: ${n}`).join(', ') : 'none'}`);
  const byWindow: string[] = [];
  for (let from = measureStart; from < scheduleEnd; from += 10_000) {
    const l = ok
      .filter((s) => s.scheduledAt >= from && s.scheduledAt < from + 10_000)
      .map((s) => s.latencyMs!)
      .sort((a, b) => a - b);
    byWindow.push(`${ms(percentile(l, 0.5))}/${ms(percentile(l, 0.99))}`);
  }
  console.log(`p50/p99 by 10-s window: ${byWindow.join(', ')}`);
  const elapsed = (performance.now() - measureStart) / 1000;
  const cores = (machineAfter.busy - machineBefore.busy + machineAfter.idle - machineBefore.idle) / elapsed;
  console.log(
    `CPU over the measured window (share of one core): ${Object.entries(cpuAfter)
      // No records store in the baseline.
      .filter(([, after]) => !Number.isNaN(after))
      .map(([name, after]) => `${name} ${(((after - cpuBefore[name]!) / elapsed) * 100).toFixed(0)} %`)
      .join(
        ', ',
      )}; machine busy ${(((machineAfter.busy - machineBefore.busy) / (machineAfter.busy - machineBefore.busy + machineAfter.idle - machineBefore.idle)) * 100).toFixed(0)} % of ${cores.toFixed(1)} cores`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
