import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { afterAll, describe, expect, it } from 'vitest';
import { graduationPlanV1 } from '../../domain/plans/graduation';
import { startDevServer, type DevServer } from '../../dev/temporal-dev-server';
import { registerSearchAttributes } from '../../temporal/register-search-attributes';
import { freePort } from '../../dev/free-port';
import { makeHousehold, uniqueRolloutId } from '../helpers/households';
import { eventually } from '../../dev/http';
import { ended, startRun, stepIs, waitForState } from '../helpers/runs';
import { expectEachStepOpenedOnce } from '../helpers/sim-tasks';
import { startStack, type Stack } from '../../dev/stack';

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
    await expectEachStepOpenedOnce(stack, runId, graduationPlanV1);
  });

  it('answers a webhook 503 with Retry-After while the server is down, and records it when retried after', async () => {
    await stack!.sims.control.kemensos.setBehaviour({ silent: true });
    const runId = await startRun(stack!, uniqueRolloutId('outage'), makeHousehold());
    const taskId = (await waitForState(stack!, runId, stepIs('aid', 'open'))).steps[0]!.taskId!;
    const body = { type: 'task.completed', timestamp: new Date().toISOString(), data: { taskId, result: { amount: 750000, transferReference: 'TRF-OUTAGE' } } };

    await server!.stop();
    const during = await stack!.webhook('kemensos', 'msg_outage', body);
    expect(during.status).toBe(503);
    expect(Number(during.headers.get('retry-after'))).toBeGreaterThan(0);
    server = await startDevServer({ port: Number(server!.address.split(':')[1]), dbFile, readyTimeoutMs: 120_000 });

    const after = await eventually(async () => {
      const res = await stack!.webhook('kemensos', 'msg_outage', body);
      return res.status === 200 ? res : undefined;
    }, 60_000, 'webhook accepted after restart');
    expect(after.body).toMatchObject({ taskId, outcome: 'completed' });
    const aid = (await waitForState(stack!, runId, stepIs('aid', 'completed'))).steps[0]!;
    expect(aid.attempts).toEqual([expect.objectContaining({ closedBy: 'msg_outage', result: { amount: 750000, transferReference: 'TRF-OUTAGE' } })]);
  });
});
