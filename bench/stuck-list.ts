import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { startDevServer } from '../dev/temporal-dev-server';
import { registerSearchAttributes } from '../temporal/register-search-attributes';
import { freePort } from '../dev/free-port';
import { benchRegencies, fillRuns } from './fill-runs';
import { startStack } from '../dev/stack';

/**
 * Fills a fresh Temporal dev server (SQLite file, WAL) with N runs, a few per cent of them stuck,
 * then times GET /v1/stuck with filters over repeated calls and prints median and p95.
 * Usage: npm run bench:stuck -- [runs=20000] [stuckPercent=3] [calls=30]
 */
async function main(): Promise<void> {
  const [runs = 20_000, stuckPercent = 3, calls = 30] = process.argv.slice(2).map(Number);
  const dir = mkdtempSync(path.join(tmpdir(), 'sinergi-bench-'));
  const server = await startDevServer({ port: await freePort(), dbFile: path.join(dir, 'temporal.db'), readyTimeoutMs: 120_000 });
  const connection = await Connection.connect({ address: server.address });
  await registerSearchAttributes(connection, 'default');
  const stack = await startStack({ temporalAddress: server.address });
  try {
    const started = Date.now();
    const expectedStuck = await fillRuns(stack, {
      runs,
      stuckEvery: Math.round(100 / stuckPercent),
      kkDigit: '9',
      rolloutPrefix: 'bench',
      // Seven in a row per regency, so the stuck ones (every n-th) fall in all six.
      regencyOf: (n) => benchRegencies[Math.floor(n / 7) % benchRegencies.length]!,
      onProgress: (n) => n % 2_000 === 0 && process.stdout.write(`\r  started ${n} runs`),
    });
    const total = await stack.client.workflowService.countWorkflowExecutions({ namespace: 'default', query: `WorkflowType = 'householdRun'` });
    console.log(`visibility: ${total.count} runs, ${expectedStuck} stuck, after ${((Date.now() - started) / 1000).toFixed(1)} s\n`);

    const queries = ['', 'agency=kemensos', 'region=35.09', 'region=35&program=graduation&pageSize=100', 'rollout=bench-1&minAge=PT1S', 'pageSize=50&offset=200'];
    console.log('GET /v1/stuck                                   median ms   p95 ms   total');
    for (const query of queries) {
      const times: number[] = [];
      let totalFound = 0;
      for (let i = 0; i < calls; i++) {
        const t0 = performance.now();
        const res = await stack.call('GET', `/v1/stuck?${query}`, undefined, 'manager');
        times.push(performance.now() - t0);
        if (res.status !== 200) throw new Error(`GET /v1/stuck?${query}: ${res.status}`);
        totalFound = res.body.total;
      }
      times.sort((a, b) => a - b);
      const pct = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(1);
      console.log(`  ?${query.padEnd(45)} ${pct(0.5).padStart(8)} ${pct(0.95).padStart(8)} ${String(totalFound).padStart(7)}`);
    }
  } finally {
    await stack.close();
    await connection.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
