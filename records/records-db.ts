import { existsSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { RecordCipher } from '../lib/record-cipher';

/**
 * Sinergi's records store: a PostgreSQL pool and the cipher personal data in it is sealed with.
 * Every process that writes or reads records (API, workers, CLI) opens one.
 */
export interface RecordsDb {
  pool: pg.Pool;
  cipher: RecordCipher;
}

// Timestamps come back as ISO strings, as the run state writes them; counts as numbers.
pg.types.setTypeParser(pg.types.builtins.TIMESTAMPTZ, (text) => new Date(text).toISOString());
pg.types.setTypeParser(pg.types.builtins.INT8, (text) => Number(text));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (text) => Number(text));

export function openRecordsDb(url: string, cipher: RecordCipher, options: { max?: number } = {}): RecordsDb {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10, application_name: 'sinergi' });
  // An idle client losing its server (a restart) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  return { pool, cipher };
}

/** Next to this file in the sources, or copied beside the compiled build (dist/records/migrations). */
export const migrationsDir = [path.join(__dirname, 'migrations'), path.resolve(__dirname, '..', '..', 'records', 'migrations')].find((dir) => existsSync(dir)) ?? path.join(__dirname, 'migrations');

/**
 * Brings the schema up to date with node-pg-migrate (its advisory lock lets every API and worker
 * replica call this at start: one migrates, the others wait and find nothing to do).
 */
export async function migrateRecords(url: string, log: (message: string) => void = () => undefined): Promise<string[]> {
  const { runner } = await import('node-pg-migrate');
  const applied = await runner({
    databaseUrl: url,
    dir: migrationsDir,
    direction: 'up',
    migrationsTable: 'pgmigrations',
    count: Infinity,
    log,
    logger: { debug: () => undefined, info: log, warn: log, error: log },
  });
  return applied.map((m) => m.name);
}

/** A database of its own on the server `adminUrl` points at (tests, benchmarks): created when missing. */
export async function ensureDatabase(adminUrl: string, name: string): Promise<string> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`bad database name ${name}`);
  const client = new pg.Client(adminUrl);
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!exists.rowCount) await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client(adminUrl);
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/**
 * The records store of a process started on its own (api, worker, CLI): DATABASE_URL, migrated
 * before use. npm start and the cluster launcher set DATABASE_URL to the PostgreSQL they started.
 */
export async function connectRecords(databaseUrl: string | undefined, cipher: RecordCipher, log: (message: string) => void): Promise<RecordsDb> {
  if (!databaseUrl) {
    throw new Error('DATABASE_URL is not set: Sinergi keeps its records in PostgreSQL (npm start runs an embedded one and sets it; see README.md, "Records store")');
  }
  for (let attempt = 1; ; attempt++) {
    try {
      await migrateRecords(databaseUrl, log);
      break;
    } catch (err) {
      // The database may still be starting (a cluster coming up): wait for it as for Temporal.
      if (attempt >= 60) throw err;
      if (attempt === 1) log(`records store not reachable yet (${(err as Error).message}); retrying`);
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }
  return openRecordsDb(databaseUrl, cipher);
}
