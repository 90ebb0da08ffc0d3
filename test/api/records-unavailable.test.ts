import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eventually } from '../../dev/http';
import { startStack, type Stack } from '../../dev/stack';
import { isRecordsUnavailable } from '../../api/records-errors';

/** With the records store (PostgreSQL) out of reach the API answers 503 with Retry-After, as for Temporal, and recovers by itself. */
describe('the API while its records store is down', () => {
  let stack: Stack;
  let admin: pg.Client;
  let database: string;
  const setConnections = async (allowed: boolean) => {
    await admin.query(`ALTER DATABASE "${database}" WITH ALLOW_CONNECTIONS ${allowed}`);
    if (!allowed) await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database]);
  };

  beforeAll(async () => {
    stack = await startStack({ temporalAddress: inject('temporalAddress') });
    database = new URL(stack.databaseUrl).pathname.slice(1);
    admin = new pg.Client(inject('databaseUrl'));
    await admin.connect();
  });
  afterAll(async () => {
    if (database) await setConnections(true).catch(() => undefined);
    await admin?.end();
    await stack?.close();
  });

  it('answers 503 with Retry-After naming the records store, never a 500, and 200 again once it is back', async () => {
    expect((await stack.call('GET', '/v1/stuck', undefined, 'manager')).status).toBe(200);
    await setConnections(false);
    for (const path of ['/v1/stuck', '/v1/agencies/kemensos/tasks', '/v1/audit/exports', '/v1/cohorts/c-0123456789abcdef0123']) {
      const res = await stack.call('GET', path, undefined, path.includes('agencies') ? 'kemensos' : 'manager');
      expect({ path, status: res.status }).toEqual({ path, status: 503 });
      expect(res.headers.get('retry-after')).toBe('5');
      expect(res.body.error).toMatchObject({ code: 'unavailable', message: 'the records store is unavailable, retry later' });
    }
    await setConnections(true);
    await eventually(async () => ((await stack.call('GET', '/v1/stuck', undefined, 'manager')).status === 200 ? true : undefined), 30_000, 'the stuck list answering again');
  });

  it('tells an outage from a bad statement', async () => {
    const refused = await new pg.Client({ connectionString: 'postgres://u:p@127.0.0.1:1/none', connectionTimeoutMillis: 2_000 }).connect().catch((err: unknown) => err);
    expect(isRecordsUnavailable(refused)).toBe(true);
    const bad = await stack.records.pool.query('SELEC 1').catch((err: unknown) => err);
    expect(bad).toBeInstanceOf(Error);
    expect(isRecordsUnavailable(bad)).toBe(false);
  });
});
