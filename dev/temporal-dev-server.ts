import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { temporalCliPath } from './temporal-cli-path';

export interface DevServerOptions {
  ip?: string;
  port: number;
  /** Serve the Temporal UI on this port; headless when absent. */
  uiPort?: number;
  /** The codec server the UI decodes payloads with (Sinergi's /v1/codec), if any. */
  uiCodecEndpoint?: string;
  /** Persist to this SQLite file; in memory when absent. */
  dbFile?: string;
  namespace?: string;
  /** Where the server's own output goes; discarded when absent. */
  onOutput?: (line: string) => void;
  readyTimeoutMs?: number;
  /** The server's own log level: debug, info, warn, error (default) or never. */
  logLevel?: string;
}

export interface DevServer {
  address: string;
  uiUrl?: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts the pinned Temporal CLI dev server and waits until its frontend answers. Our own
 * launcher, because the SDK's gives a server only a few seconds, which a cold machine misses.
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const ip = options.ip ?? '127.0.0.1';
  const args = ['server', 'start-dev', '--ip', ip, '--port', String(options.port), '--log-level', options.logLevel ?? 'error'];
  if (options.namespace && options.namespace !== 'default') args.push('--namespace', options.namespace);
  if (options.uiPort) args.push('--ui-port', String(options.uiPort));
  else args.push('--headless');
  if (options.uiPort && options.uiCodecEndpoint) args.push('--ui-codec-endpoint', options.uiCodecEndpoint);
  if (options.dbFile) {
    mkdirSync(path.dirname(options.dbFile), { recursive: true });
    // WAL lets the server's readers and its writer work at once: several times the throughput.
    args.push('--db-filename', options.dbFile, '--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal');
  }
  const child = spawn(temporalCliPath(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const recent: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      for (const line of chunk.split('\n').filter(Boolean)) {
        recent.push(line);
        if (recent.length > 20) recent.shift();
        options.onOutput?.(line);
      }
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const address = `${ip}:${options.port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`Temporal dev server exited with code ${child.exitCode}:\n${recent.join('\n')}`);
    }
    if (await temporalAnswers(address)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`Temporal dev server did not answer on ${address} in time:\n${recent.join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { address, uiUrl: options.uiPort ? `http://${ip}:${options.uiPort}` : undefined, process: child, stop };
}

/** Whether a Temporal frontend answers at `address` (host:port). */
export async function temporalAnswers(address: string): Promise<boolean> {
  try {
    const connection = await Connection.connect({ address, connectTimeout: 1_000 });
    try {
      await connection.workflowService.getSystemInfo({});
      return true;
    } finally {
      await connection.close();
    }
  } catch {
    return false;
  }
}
