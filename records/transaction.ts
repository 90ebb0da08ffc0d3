import type { PoolClient } from 'pg';
import type { RecordsDb } from './records-db';

/**
 * Runs `work` in one transaction on a client of its own: committed if it returns, rolled back if
 * it throws. A client whose transaction could not be rolled back (its connection broken mid-COPY)
 * is discarded rather than handed to the next caller.
 */
export async function inTransaction<T>(db: RecordsDb, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await db.pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch((rollbackFailed: Error) => (broken = rollbackFailed));
    throw err;
  } finally {
    client.release(broken);
  }
}
