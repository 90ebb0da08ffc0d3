import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { afterAll, describe, expect, it } from 'vitest';
import { graduationPlan } from '../../domain/plans/graduation';
import { startDevServer, type DevServer } from '../../temporal/dev-server';
import { registerSearchAttributes } from '../../temporal/register-search-attributes';
import { freePort } from '../helpers/free-port';
import { makeHousehold, uniqueRolloutId } from '../helpers/households';
import { ended, startRun, stepIs, waitForState } from '../helpers/runs';
import { expectEachStepOpenedOnce } from '../helpers/sim-tasks';
import { startStack, type Stack } from '../helpers/stack';

describe('Temporal dev server restarted from its db file mid-run', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sinergi-restart-'));
  const dbFile = path.join(dir, 'temporal.db');
  let server: DevServer | undefined;
  let stack: Stack | undefined;
  afterAll(async () => {
    await stack?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finishes the run, opening nothing twice', async () => {
    const port = await freePort();
    server = await startDevServer({ port, dbFile, readyTimeoutMs: 120_000 });
    const connection = await Connection.connect({ address: server.address });
    await registerSearchAttributes(connection, 'default');
    await connection.close();
    stack = await startStack({ temporalAddress: server.address });
    await stack.sims.control.kemnaker.setBehaviour({ delayMs: 2_000 });

    const runId = await startRun(stack, uniqueRolloutId('srv-restart'), makeHousehold());
    await waitForState(stack, runId, stepIs('training', 'open'));
    await server.stop();
    // Down while the ministry reports: the webhook gets 503 and the simulator retries.
    await new Promise((r) => setTimeout(r, 4_000));
    server = await startDevServer({ port, dbFile, readyTimeoutMs: 120_000 });

    const state = await waitForState(stack, runId, ended, 120_000);
    expect(state.status).toBe('completed');
    await expectEachStepOpenedOnce(stack, runId, graduationPlan);
  });
});
