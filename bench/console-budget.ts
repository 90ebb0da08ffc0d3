import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { Connection } from '@temporalio/client';
import { defaultConsoleDir } from '../api/console-router';
import { freePort } from '../dev/free-port';
import { fillRuns } from './fill-runs';
import { startStack } from '../dev/stack';
import { startDevServer } from '../dev/temporal-dev-server';
import { startTemporaryPostgres } from '../dev/embedded-postgres';
import { registerSearchAttributes } from '../temporal/register-search-attributes';
import { launchChromium, signedInPage } from '../dev/browser';

const firstLoadBudgetKb = 250;

/**
 * The console's budgets, printed, never asserted on time:
 * (a) the first load's JavaScript, gzip: every script index.html loads (entry and modulepreloads)
 *     and the chunks they import statically, from dist/console;
 * (b) the stuck page with N stuck runs in headless Chromium: from navigation to the table's rows
 *     visible and a row's button ready (checked in the page every frame), per page size; then
 *     confirmed by role and name, and the time that took printed beside it.
 * Usage: npm run build:console && npm run bench:console -- [stuckRuns=1000] [loads=7]
 */
async function main(): Promise<void> {
  const [stuckRuns = 1_000, loads = 7] = process.argv.slice(2).map(Number);
  if (!existsSync(path.join(defaultConsoleDir, 'index.html'))) throw new Error('the console is not built: run `npm run build:console` first');
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}\n`);

  const scripts = firstLoadScripts(defaultConsoleDir);
  let gzipTotal = 0;
  console.log('(a) first load JavaScript            raw KB   gzip KB');
  for (const file of scripts) {
    const raw = readFileSync(path.join(defaultConsoleDir, file));
    const gz = gzipSync(raw, { level: 9 }).length;
    gzipTotal += gz;
    console.log(`  ${file.padEnd(34)} ${(raw.length / 1024).toFixed(1).padStart(7)} ${(gz / 1024).toFixed(1).padStart(9)}`);
  }
  console.log(`  total ${(gzipTotal / 1024).toFixed(1)} KB gzip (level 9); budget ${firstLoadBudgetKb} KB: ${gzipTotal / 1024 <= firstLoadBudgetKb ? 'within' : 'OVER'}\n`);

  const dir = mkdtempSync(path.join(tmpdir(), 'sinergi-console-bench-'));
  const server = await startDevServer({ port: await freePort(), dbFile: path.join(dir, 'temporal.db'), readyTimeoutMs: 120_000 });
  const connection = await Connection.connect({ address: server.address });
  await registerSearchAttributes(connection, 'default');
  const postgres = await startTemporaryPostgres();
  const stack = await startStack({ temporalAddress: server.address, databaseUrl: postgres.url });
  const browser = await launchChromium();
  try {
    // Every run stuck at its first step, as bench/stuck-list.ts fills them.
    const started = Date.now();
    await fillRuns(stack, { runs: stuckRuns, stuckEvery: 1, kkDigit: '8', rolloutPrefix: 'console-bench' });
    console.log(`${stuckRuns} stuck runs visible after ${((Date.now() - started) / 1000).toFixed(1)} s\n`);

    const page = await signedInPage(browser, stack.apiUrl, 'manager', '/stuck');
    console.log(`(b) /stuck, ${stuckRuns} stuck, ${loads} loads each  ready: median ms   p95 ms   max ms   confirmed: median ms   rows`);
    for (const pageSize of [50, 200, 500]) {
      const ready: number[] = [];
      const confirmed: number[] = [];
      let rows = 0;
      for (let i = 0; i < loads; i++) {
        const expected = Math.min(pageSize, stuckRuns);
        const t0 = Date.now();
        await page.goto(`/stuck?pageSize=${pageSize}`);
        // Ready: the header row plus every stuck row, the last one visible, and a row's enabled, visible
        // button. Checked in the page at every frame, on the same clock: Playwright's own waits poll at
        // growing intervals (500 ms apart after the first few), so they would time their back-off.
        // (Evaluated over CDP: the console's CSP forbids the eval behind page.waitForFunction.)
        const readyAt = await page.evaluate(`new Promise((resolve, reject) => {
          setTimeout(() => reject(new Error('no ready stuck list in 60 s')), 60000);
          const check = () => {
            const rows = document.querySelectorAll('tr, [role="row"]');
            const button = [...document.querySelectorAll('button')].find((b) => b.textContent === 'Perpanjang' && !b.disabled);
            if (rows.length > ${expected} && rows[${expected}].checkVisibility() && button?.checkVisibility()) resolve(Date.now());
            else requestAnimationFrame(check);
          };
          check();
        })`);
        ready.push(Number(readyAt) - t0);
        // Confirmed as a person finds them (by role and name; slow on long pages), and clickable.
        await page.getByRole('row').nth(expected).waitFor({ state: 'visible', timeout: 60_000 });
        await page.getByRole('button', { name: 'Perpanjang' }).first().click({ trial: true, timeout: 60_000 });
        confirmed.push(Date.now() - t0);
        rows = (await page.getByRole('row').count()) - 1;
      }
      const pct = (times: number[], p: number) => [...times].sort((a, b) => a - b)[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(0);
      console.log(`  ?pageSize=${String(pageSize).padEnd(30)} ${pct(ready, 0.5).padStart(14)} ${pct(ready, 0.95).padStart(8)} ${pct(ready, 1).padStart(8)} ${pct(confirmed, 0.5).padStart(20)} ${String(rows).padStart(6)}`);
    }
  } finally {
    await browser.close();
    await stack.close();
    await connection.close();
    await server.stop();
    await postgres.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The scripts index.html loads (module entry, modulepreloads) and, transitively, the chunks they import statically (not import()). */
function firstLoadScripts(consoleDir: string): string[] {
  const html = readFileSync(path.join(consoleDir, 'index.html'), 'utf8');
  const pending = [...html.matchAll(/<script[^>]*\ssrc="\/?([^"]+\.js)"|<link[^>]*rel="modulepreload"[^>]*href="\/?([^"]+\.js)"/g)].map((m) => (m[1] ?? m[2])!);
  const seen = new Set<string>();
  while (pending.length) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const code = readFileSync(path.join(consoleDir, file), 'utf8');
    for (const m of code.matchAll(/(?:^|[;\s}])import\s*(?:[\w$*{}\s,]+from\s*)?["']\.\/([^"']+\.js)["']/g)) pending.push(path.posix.join(path.posix.dirname(file), m[1]!));
  }
  return [...seen];
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
