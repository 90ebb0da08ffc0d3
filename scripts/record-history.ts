import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { temporalCliPath } from '../temporal/cli-path';
import { startDevServer } from '../temporal/dev-server';
import { registerSearchAttributes } from '../temporal/register-search-attributes';
import { freePort } from '../test/helpers/free-port';
import { makeHousehold } from '../test/helpers/households';
import { ended, startRun, waitForState } from '../test/helpers/runs';
import { startStack } from '../test/helpers/stack';

/**
 * Records the history of runs through the current workflow code into test/histories/, for the
 * replay test that guards running histories against incompatible workflow changes.
 * Usage: npm run record-history -- <name>   (records a happy run and a run with a rejected, retried step)
 */
async function main(): Promise<void> {
  const name = process.argv[2] ?? 'household-run-v1';
  const server = await startDevServer({ port: await freePort() });
  const connection = await Connection.connect({ address: server.address });
  await registerSearchAttributes(connection, 'default');
  const stack = await startStack({ temporalAddress: server.address });
  try {
    const retried = makeHousehold();
    await stack.sims.control.kemnaker.setBehaviour({ rejectHouseholds: { [retried.familyCardNumber]: { mode: 'by-webhook', times: 1 } } });
    await stack.sims.control.kemenkop.setBehaviour({ rejectHouseholds: { [retried.familyCardNumber]: { mode: 'at-request', times: 0 } } });
    for (const [label, household] of [['happy', makeHousehold()], ['retried-and-skipped', retried]] as const) {
      const runId = await startRun(stack, `history-${label}`, household);
      await waitForState(stack, runId, ended);
      // The CLI's JSON is the canonical history format (as the Temporal UI downloads it).
      const json = execFileSync(temporalCliPath(), ['workflow', 'show', '--address', server.address, '--workflow-id', runId, '--output', 'json']);
      const file = path.resolve(__dirname, '..', 'test', 'histories', `${name}-${label}.json`);
      writeFileSync(file, json);
      console.log(`recorded ${JSON.parse(json.toString()).events.length} events to ${file}`);
    }
  } finally {
    await stack.close();
    await connection.close();
    await server.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
