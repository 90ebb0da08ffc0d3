import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { developmentPayloadKey } from '../config/config';
import { encryptedDataConverter } from '../temporal/payload-codec';
import { workflowBundle } from '../worker/workflow-bundle';
import { machineDescription } from './process-cpu';

/**
 * What the workflow code costs per run, without a server or a network: replays one recorded
 * history `times` times through the SDK's replayer (a new workflow each time: its modules
 * evaluated, every activation run, as a worker does for a run its cache no longer holds) and
 * prints the CPU per replay. Run variants one after the other, several times: on two shared cores
 * the same command has moved by 15 % within the hour.
 *
 * One experiment on the SDK's sandbox, benchmark-only (the product keeps the default), taking
 * effect here because the replayer runs workflows in this thread:
 *   --no-watchdog  every call into the sandbox without Node's timeout, which starts and joins a
 *                  thread per call (the SDK's deadlock detection, isolateExecutionTimeout)
 *
 * Usage: npm run bench:replay -- [history=the newest test/histories/household-run-v<N>-happy.json] [times=300] [--no-watchdog]
 */
const flags = new Set(process.argv.slice(2).filter((a) => a.startsWith('--')));
/** The happy run recorded by the newest workflow code: what a run started today replays. */
function newestHappyHistory(): string {
  const dir = path.resolve(__dirname, '..', 'test', 'histories');
  const versions = readdirSync(dir).flatMap((f) => /^household-run-v(\d+)-happy\.json$/.exec(f)?.[1] ?? []).map(Number);
  return path.join(dir, `household-run-v${Math.max(...versions)}-happy.json`);
}
const [file = newestHappyHistory(), timesArg = '300'] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const times = Number(timesArg);
if (!(times > 0)) throw new Error('usage: npm run bench:replay -- [history.json] [times] [--no-watchdog]');

if (flags.has('--no-watchdog')) {
  const run = vm.Script.prototype.runInContext;
  vm.Script.prototype.runInContext = function (this: vm.Script, context, options) {
    const { timeout: _dropped, ...rest } = options ?? {};
    return run.call(this, context, rest);
  };
}

async function* copies(history: ReturnType<typeof historyFromJSON>, n: number) {
  for (let i = 0; i < n; i++) yield { workflowId: `replay-${i}`, history };
}

async function main(): Promise<void> {
  const history = historyFromJSON(JSON.parse(readFileSync(path.resolve(file), 'utf8')));
  const options = { workflowBundle: await workflowBundle(), dataConverter: encryptedDataConverter([developmentPayloadKey]) };
  const replay = async (n: number) => {
    for await (const result of Worker.runReplayHistories(options, copies(history, n))) if (result.error) throw result.error;
  };
  await replay(20); // warm-up: the bundle loaded, the code compiled
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  await replay(times);
  const used = process.cpuUsage(cpu);
  console.log(`${machineDescription()}; ${path.basename(file)} (${history.events?.length} events)${flags.size ? `, ${[...flags].join(' ')}` : ''}`);
  console.log(`${times} replays: ${((used.user + used.system) / 1000 / times).toFixed(1)} ms CPU and ${((performance.now() - t0) / times).toFixed(1)} ms wall per replay`);
}

void main();
