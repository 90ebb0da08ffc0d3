import { Client } from '@temporalio/client';
import { apiClient } from '../cli/api-client';
import { agencies } from '../domain/agency';
import { baselineRun } from './baseline/baseline-workflow';
import { launch, startBenchStack, waitForHttp } from './bench-processes';
import { cpuOfProcesses, machineDescription, peakRssMiB } from './process-cpu';
import { benchPlan as graduationPlan, rolloutToCompletion } from './rollout-throughput';

/**
 * Households through the full graduation plan, end to end, with the simulators answering at
 * once; then the same number through a bare Temporal workflow doing the same activities and
 * updates (the baseline) on the same server, `repeats` times (the ratio printed is the median
 * pair's); then each of `sizes` to show how the time per household grows.
 * Prints figures; never fails on a time.
 * Usage: npm run bench -- [households=1000] [sizes=1000,10000 (0: none)] [repeats=3] [--no-encryption]
 * --no-encryption runs the API and the worker with payloads and DATA_DIR records in the clear
 * (through bench/without-encryption.ts), to measure what encryption costs; the product has no such switch.
 */
const options = process.argv.slice(2).filter((a) => a.startsWith('--'));
const [householdsArg, sizesArg, repeatsArg] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const households = householdsArg ? Number(householdsArg) : 1_000;
const sizes = (sizesArg ?? '1000,10000').split(',').map(Number).filter((n) => n > 0);
const repeats = repeatsArg ? Number(repeatsArg) : 3;
if (!(households > 0) || !(repeats >= 1)) throw new Error('usage: npm run bench -- [households=1000] [sizes=1000,10000 (0: none)] [repeats=3] [--no-encryption]');
const withoutEncryption = options.includes('--no-encryption');
const unknownOption = options.find((o) => o !== '--no-encryption');
if (unknownOption) throw new Error(`unknown option ${unknownOption}; the only one is --no-encryption`);
const steps = graduationPlan.steps.length;
const apiKey = 'dev-coordinator-key';

/** How one run of the rollout has its input in the history, read without a codec: the check that encryption was on or off. */
async function firstInputEncoding(client: Client, rolloutId: string): Promise<string> {
  const [run] = (await client.workflowService.listWorkflowExecutions({ namespace: 'default', query: `RolloutId = '${rolloutId}'`, pageSize: 1 })).executions;
  if (!run?.execution) return 'no run found';
  const history = await client.workflowService.getWorkflowExecutionHistory({ namespace: 'default', execution: run.execution, maximumPageSize: 1 });
  const metadata = history.history?.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0]?.metadata ?? {};
  return Object.entries(metadata).map(([k, v]) => `${k}=${Buffer.from(v).toString('utf8')}`).join(', ');
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;

async function main(): Promise<void> {
  const stack = await startBenchStack('bench');
  const { dir, server, connection, env, apiUrl, simUrls } = stack;
  const client = new Client({ connection });

  // Without encryption, the same entries through a wrapper that patches it out first.
  const sinergiProcess = (name: string, entry: string) => (withoutEncryption ? launch(name, 'bench/without-encryption.ts', env, [entry]) : launch(name, entry, env));
  const children = [launch('simulators', 'dev/simulators/main.ts', env), sinergiProcess('worker', 'worker/main.ts'), sinergiProcess('api', 'api/main.ts')];
  const [, worker, api] = children;
  const baselineQueue = 'baseline';
  const baselineWorker = launch('baseline-worker', 'bench/baseline/baseline-worker.ts', env, [server.address, baselineQueue]);
  try {
    await waitForHttp(`${apiUrl}/readyz`);
    await Promise.all(agencies.map((a) => waitForHttp(`${simUrls[a]}/_simulator/healthz`)));
    console.log(`machine: ${machineDescription()}`);
    console.log(`plan: ${graduationPlan.programId} v${graduationPlan.version}, ${steps} steps (${steps} activities and ${steps} webhooks per household)`);
    console.log(`encryption: ${withoutEncryption ? 'OFF (--no-encryption: a bench-only wrapper)' : 'on (payload codec and DATA_DIR records, the development key)'}\n`);

    let prefix = 1;
    const sinergiApi = apiClient({ apiUrl, apiKey });
    const sinergi = async (n: number) => {
      // Ids of their own per size, so sizes never meet in the overlap check.
      const { rolloutId, seconds, perSecond, importMs } = await rolloutToCompletion({ api: sinergiApi, client, dir, households: n, prefix: prefix++ });
      const encoding = await firstInputEncoding(client, rolloutId);
      const latencies: number[] = [];
      for (const a of agencies) {
        const tasks = (await (await fetch(`${simUrls[a]}/_simulator/tasks`)).json()) as { webhookLatencyMs?: number }[];
        latencies.push(...tasks.map((t) => t.webhookLatencyMs).filter((x): x is number => x !== undefined));
        await fetch(`${simUrls[a]}/_simulator/tasks`, { method: 'DELETE' });
      }
      latencies.sort((a, b) => a - b);
      return { n, seconds, perSecond, importMs, latencies, encoding };
    };
    const baseline = async (n: number) => {
      const t0 = performance.now();
      const id = Date.now().toString(36);
      const handles = [];
      // Started as the rollout starts its runs (all of them, a few at a time), then awaited.
      for (let i = 0; i < n; i += 8) {
        handles.push(
          ...(await Promise.all(
            Array.from({ length: Math.min(8, n - i) }, (_, j) => client.workflow.start(baselineRun, { taskQueue: baselineQueue, workflowId: `baseline-${id}-${i + j}`, args: [steps] })),
          )),
        );
      }
      await Promise.all(handles.map((h) => h.result()));
      const seconds = (performance.now() - t0) / 1000;
      return { n, seconds, perSecond: n / seconds };
    };

    // Where the CPU goes, per household, in each phase: the machine is shared by all of them.
    const processes = { 'temporal server': server.process.pid, worker: worker?.process.pid, api: api?.process.pid, simulators: children[0]?.process.pid, 'baseline worker': baselineWorker.process.pid, 'bench driver': process.pid };
    const cpuOf = () => cpuOfProcesses(processes, stack.postgresPid);
    const cpuPerHousehold = (before: Record<string, number>, n: number) =>
      Object.entries(cpuOf())
        .map(([name, after]) => [name, ((after - before[name]!) * 1000) / n] as const)
        .filter(([, ms]) => ms >= 0.5)
        .map(([name, ms]) => `${name} ${ms.toFixed(1)}`)
        .join(', ');
    // Pairs (Sinergi, then the baseline), each a fresh rollout on the same server: the ratio is the median pair's.
    const pairs = [];
    for (let r = 1; r <= repeats; r++) {
      console.log(`Pair ${r} of ${repeats}: Sinergi, ${households} households...`);
      const cpuBefore = cpuOf();
      const run = await sinergi(households);
      const sinergiCpu = cpuPerHousehold(cpuBefore, households);
      const memory = { worker: peakRssMiB(worker?.process.pid), api: peakRssMiB(api?.process.pid) };
      console.log(`Pair ${r} of ${repeats}: baseline, ${households} bare workflows...`);
      const baselineBefore = cpuOf();
      const bare = await baseline(households);
      pairs.push({ run, sinergiCpu, memory, bare, baselineCpu: cpuPerHousehold(baselineBefore, households), ratio: run.perSecond / bare.perSecond });
    }
    const scaling = [];
    for (const n of sizes) {
      console.log(`Sinergi: ${n} households...`);
      scaling.push(await sinergi(n));
    }

    const ms = (x: number) => `${x.toFixed(0)} ms`;
    console.log('\n== Results ==');
    for (const [i, { run, sinergiCpu, memory, bare, baselineCpu, ratio }] of pairs.entries()) {
      console.log(`Pair ${i + 1}: ratio ${ratio.toFixed(2)}`);
      console.log(`  Sinergi   ${households} households in ${run.seconds.toFixed(1)} s: ${run.perSecond.toFixed(1)} households/s (cohort import ${ms(run.importMs)})`);
      console.log(`    webhook latency (${run.latencies.length} webhooks): p50 ${ms(percentile(run.latencies, 0.5))}, p95 ${ms(percentile(run.latencies, 0.95))}, p99 ${ms(percentile(run.latencies, 0.99))}`);
      console.log(`    peak memory so far (RSS): worker ${memory.worker} MiB, api ${memory.api} MiB`);
      console.log(`    a run's input as Temporal holds it: ${run.encoding}`);
      console.log(`    CPU ms per household: ${sinergiCpu}`);
      console.log(`  Baseline  ${households} workflows in ${bare.seconds.toFixed(1)} s: ${bare.perSecond.toFixed(1)} per second`);
      console.log(`    CPU ms per household: ${baselineCpu}`);
    }
    const ratios = pairs.map((p) => p.ratio).sort((a, b) => a - b);
    console.log(`Ratio Sinergi/baseline, median of ${ratios.length}: ${ratios[Math.floor((ratios.length - 1) / 2)]!.toFixed(2)} (each: ${ratios.map((r) => r.toFixed(2)).join(', ')}; target 0.80 or better)`);
    if (scaling.length) console.log('Time per household by size:');
    for (const s of scaling) console.log(`  ${String(s.n).padStart(6)} households: ${ms((s.seconds * 1000) / s.n)} per household (${s.perSecond.toFixed(1)}/s)`);
    if (scaling.length >= 2) {
      const first = scaling[0]!;
      const last = scaling.at(-1)!;
      const growth = (last.seconds / last.n / (first.seconds / first.n) - 1) * 100;
      console.log(`  from ${first.n} to ${last.n}: ${growth >= 0 ? '+' : ''}${growth.toFixed(0)} % per household (target within 20 %)`);
    }
  } finally {
    await stack.stop([...children, baselineWorker]);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
