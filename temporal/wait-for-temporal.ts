import { Connection } from '@temporalio/client';
import type { Logger } from '../lib/logger';

/** Waits for the Temporal frontend to answer, so processes may start in any order. */
export async function waitForTemporal(address: string, logger: Logger, timeoutMs = 120_000): Promise<Connection> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 1; ; attempt++) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 2_000 });
      await connection.workflowService.getSystemInfo({});
      return connection;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      if (attempt === 1 || attempt % 10 === 0) logger.info({ address }, 'waiting for Temporal');
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }
}
