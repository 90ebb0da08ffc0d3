import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { startRun as startRunThroughApi } from '../api/runs/start-run';
import { graduationPlan } from '../domain/plans/graduation';
import type { Household } from '../domain/household';
import { startDevServer } from '../dev/temporal-dev-server';
import { registerSearchAttributes } from '../temporal/register-search-attributes';
import { freePort } from '../dev/free-port';
import { shortPlan } from '../dev/short-plan';
import { startStack } from '../dev/stack';
import { createLogger } from '../lib/logger';
import { agencies } from '../domain/agency';

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
    // Every agency silent: runs wait at their first step; a share of them have a 1 s SLA.
    for (const agency of agencies) await stack.sims.control[agency].setBehaviour({ silent: true });
    const quick = shortPlan(graduationPlan, { aid: { sla: 'PT1S' } });
    const regencies = ['35.07', '35.08', '35.09', '35.10', '33.01', '33.02'];
    const deps = { client: stack.client, namespace: 'default', taskQueue: stack.taskQueue, logger: createLogger('silent', 'bench') } as Parameters<typeof startRunThroughApi>[0];
    const started = Date.now();
    const batch = 200;
    for (let i = 0; i < runs; i += batch) {
      await Promise.all(
        Array.from({ length: Math.min(batch, runs - i) }, (_, j) => {
          const n = i + j;
          const household: Household = {
            familyCardNumber: `9${String(n).padStart(15, '0')}`,
            headNik: '3509014507850003',
            headName: 'Bench Household',
            region: `${regencies[Math.floor(n / 7) % regencies.length]}.01.2001`,
            decile: 1,
            welfareStatus: 'extreme_poor',
          };
          const isStuck = n % Math.round(100 / stuckPercent) === 0;
          return startRunThroughApi(deps, { rolloutId: `bench-${n % 4}`, household, ...(isStuck ? { plan: quick } : { plan: shortPlan(graduationPlan, { aid: { sla: 'P14D' } }) }) }, 'bench');
        }),
      );
      if ((i / batch) % 10 === 0) process.stdout.write(`\r  started ${i + batch} runs`);
    }
    const expectedStuck = Math.ceil(runs / Math.round(100 / stuckPercent));
    console.log(`\nstarted ${runs} runs in ${((Date.now() - started) / 1000).toFixed(1)} s; waiting for ${expectedStuck} to be stuck and visible...`);
    for (;;) {
      const { count } = await stack.client.workflowService.countWorkflowExecutions({ namespace: 'default', query: `Stuck = true AND ExecutionStatus = 'Running'` });
      if (Number(count) >= expectedStuck) break;
      await new Promise((r) => setTimeout(r, 2_000));
    }
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
