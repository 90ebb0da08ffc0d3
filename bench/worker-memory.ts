import { apiClient } from '../cli/api-client';
import { loadConfig } from '../config/config';
import { agencies } from '../domain/agency';
import { workflowMemoryFor } from '../worker/workflow-cache';
import { launch, startBenchStack, waitForHttp } from './bench-processes';
import { machineDescription, peakRssMiB, rssMiB } from './process-cpu';
import { openedTasks, percentile, sendWebhook, silenceMinistries, startBenchRollout, type HeldTask } from './silent-ministries';

/**
 * The worker's memory as its runs grow: runs of the graduation plan started in steps up to each
 * of `sizes` concurrent runs, all waiting at their first task (the simulators silent), the worker
 * given WORKER_MEMORY_MB = `memoryMb`. At each size: the worker's resident memory once settled,
 * then after a progress webhook to `touches` runs picked at random (a run evicted from the cache
 * is replayed from its history to take it: their latency shows what a bounded cache costs).
 * Prints figures; never fails on a size.
 * Usage: npm run bench:memory -- [sizes=2000,20000] [memoryMb=2048] [touches=1000]
 */
const [sizesArg, memoryArg, touchesArg] = process.argv.slice(2);
const sizes = (sizesArg ?? '2000,20000').split(',').map(Number);
const memoryMb = memoryArg ? Number(memoryArg) : 2048;
const touches = touchesArg ? Number(touchesArg) : 1_000;
if (sizes.some((n) => !(n > 0)) || !(memoryMb >= 512) || !(touches >= 0)) throw new Error('usage: npm run bench:memory -- [sizes=2000,20000] [memoryMb=2048 (at least 512)] [touches=1000]');
sizes.sort((a, b) => a - b);
const apiKey = 'dev-coordinator-key';
/** Touches in flight at once: a ministry's sender, not a flood. */
const touchConcurrency = 8;
const mib = (x: number) => `${x.toFixed(0)} MiB`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resident memory sampled once a second for `seconds`: the median, so one collection's moment does not decide it. */
async function settledRss(pid: number | undefined, seconds: number): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < seconds; i++) {
    samples.push(rssMiB(pid));
    await sleep(1_000);
  }
  return percentile(samples.sort((a, b) => a - b), 0.5);
}

async function main(): Promise<void> {
  const stack = await startBenchStack('bench-memory');
  const { dir } = stack;
  const env = { ...stack.env, WORKER_MEMORY_MB: String(memoryMb) };
  const secrets = loadConfig({ ...process.env, ...env }).webhooks.secrets;
  const children = [launch('simulators', 'dev/simulators/main.ts', env), launch('worker', 'worker/main.ts', env), launch('api', 'api/main.ts', env)];
  const workerPid = children[1]?.process.pid;
  try {
    await waitForHttp(`${stack.apiUrl}/readyz`);
    await Promise.all(agencies.map((a) => waitForHttp(`${stack.simUrls[a]}/_simulator/healthz`)));
    await silenceMinistries(stack.simUrls);
    const memory = workflowMemoryFor(memoryMb);
    console.log(`machine: ${machineDescription()}`);
    console.log(`date: ${new Date().toISOString()}`);
    console.log(`worker: WORKER_MEMORY_MB=${memoryMb} -> workflows' heap ${memory.workflowHeapMb} MiB, ${memory.maxCachedWorkflows} workflows cached at most`);
    console.log(`worker resident memory before any run: ${mib(await settledRss(workerPid, 5))}\n`);

    const api = apiClient({ apiUrl: stack.apiUrl, apiKey });
    const rows: string[] = [];
    const settled: number[] = [];
    let running = 0;
    for (const [i, size] of sizes.entries()) {
      const t0 = performance.now();
      await startBenchRollout(api, dir, size - running, i + 1, `memory-${size}`);
      let held: HeldTask[] = [];
      for (let stalledSince = performance.now(), seen = 0; held.length < size; ) {
        await sleep(5_000);
        held = await openedTasks(stack.simUrls);
        if (held.length > seen) [seen, stalledSince] = [held.length, performance.now()];
        if (performance.now() - stalledSince > 180_000) throw new Error(`only ${held.length} of ${size} runs at their first task, none more in 180 s`);
      }
      running = size;
      const startSeconds = (performance.now() - t0) / 1000;
      console.log(`${size} runs waiting at their first task (${startSeconds.toFixed(0)} s to start the ${size - (sizes[i - 1] ?? 0)} new ones)`);
      const rss = await settledRss(workerPid, 15);
      settled.push(rss);

      // Progress reports to runs picked at random: most were evicted long ago once the runs outnumber the cache.
      const picked = [...held].sort(() => Math.random() - 0.5).slice(0, touches);
      const latencies: number[] = [];
      let failed = 0;
      const id = Date.now().toString(36);
      const t1 = performance.now();
      await Promise.all(
        Array.from({ length: touchConcurrency }, async (_, lane) => {
          for (let j = lane; j < picked.length; j += touchConcurrency) {
            const task = picked[j]!;
            const event = { type: 'task.progress' as const, timestamp: new Date().toISOString(), data: { taskId: task.taskId, progress: { percent: 10 } } };
            const answer = await sendWebhook(`${stack.apiUrl}/v1/webhooks/${task.agency}`, secrets[task.agency][0]!, `msg_mem_${id}_${j}`, event, performance.now(), 30_000);
            if (answer.status !== undefined && answer.status < 300) latencies.push(answer.latencyMs!);
            else failed += 1;
          }
        }),
      );
      const touchSeconds = (performance.now() - t1) / 1000;
      latencies.sort((a, b) => a - b);
      const after = await settledRss(workerPid, 10);
      rows.push(
        `| ${size.toLocaleString('en')} | ${mib(rss)} | ${mib(after)} | ${peakRssMiB(workerPid)} MiB | ${picked.length} in ${touchSeconds.toFixed(0)} s: p50 ${percentile(latencies, 0.5).toFixed(0)} ms, p99 ${percentile(latencies, 0.99).toFixed(0)} ms${failed ? `, ${failed} not 2xx` : ''} |`,
      );
      console.log(rows.at(-1));
    }
    console.log('\n== Results ==');
    console.log('| concurrent runs | worker RSS settled | after the touches | peak so far | progress webhooks to random runs |');
    console.log('| ---: | ---: | ---: | ---: | --- |');
    for (const row of rows) console.log(row);
    if (settled.length >= 2) {
      const growth = (settled.at(-1)! / settled[0]! - 1) * 100;
      console.log(`from ${sizes[0]} to ${sizes.at(-1)} runs: ${growth >= 0 ? '+' : ''}${growth.toFixed(0)} % resident memory (target: within 20 %)`);
    }
  } finally {
    await stack.stop(children);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
