import type { ChildProcess } from 'node:child_process';

/** A started process and how to stop it. */
export interface Launched {
  process: ChildProcess;
  stop(): Promise<void>;
}

/** A process kept running: `current` is replaced by each restart. */
export interface Supervised {
  readonly name: string;
  current: Launched;
  /** Stops the process and starts it again, on purpose: not counted as a death. */
  restart(): Promise<void>;
  /** Stops it for good: it is not restarted. */
  stop(): Promise<void>;
}

/** What the supervisor did, when: for the banner's log and for tests timing a recovery. */
export interface SupervisorEvent {
  name: string;
  kind: 'exited' | 'restarted';
  at: number;
  detail?: string;
}

/**
 * Starts a process and restarts it whenever it dies unexpectedly; five quick deaths in a row stop
 * everything (`stopAll`).
 */
export async function supervise(
  name: string,
  launch: () => Promise<Launched>,
  stopping: () => boolean,
  stopAll: (code: number) => Promise<void>,
  onEvent: (event: SupervisorEvent) => void = () => undefined,
): Promise<Supervised> {
  // Processes stopped on purpose (a restart, a stop): their exit is no death.
  const stoppedOnPurpose = new WeakSet<ChildProcess>();
  let stoppedForGood = false;
  let quickDeaths = 0;
  const handle: Supervised = {
    name,
    current: await launch(),
    async restart() {
      stoppedOnPurpose.add(handle.current.process);
      await handle.current.stop();
      const next = await launch();
      handle.current = next;
      watch(next, Date.now());
      onEvent({ name, kind: 'restarted', at: Date.now(), detail: 'on request' });
    },
    async stop() {
      stoppedForGood = true;
      stoppedOnPurpose.add(handle.current.process);
      await handle.current.stop();
    },
  };
  const watch = (launched: Launched, startedAt: number) => {
    launched.process.once('exit', (code, signal) => {
      if (stopping() || stoppedForGood || stoppedOnPurpose.has(launched.process)) return;
      const detail = String(signal ?? code);
      onEvent({ name, kind: 'exited', at: Date.now(), detail });
      quickDeaths = Date.now() - startedAt < 10_000 ? quickDeaths + 1 : 0;
      if (quickDeaths >= 5) {
        console.error(`[${name}] keeps dying (last: ${detail}); stopping everything`);
        void stopAll(1);
        return;
      }
      console.error(`[${name}] exited (${detail}); restarting`);
      setTimeout(() => {
        if (stopping() || stoppedForGood) return;
        launch().then(
          (next) => {
            handle.current = next;
            watch(next, Date.now());
            onEvent({ name, kind: 'restarted', at: Date.now(), detail: `after ${detail}` });
          },
          (err: unknown) => {
            console.error(`[${name}] could not restart: ${String(err)}`);
            void stopAll(1);
          },
        );
      }, 1_000 * quickDeaths);
    });
  };
  watch(handle.current, Date.now());
  return handle;
}

/** Passes each line a child writes to `onLine` (the console, prefixed with the name, by default). */
export function prefixOutput(child: ChildProcess, name: string, onLine: (name: string, line: string) => void = (n, line) => console.log(`[${n}] ${line}`)): void {
  for (const stream of [child.stdout, child.stderr]) {
    // A chunk may end mid-line: the rest waits for the next one.
    let partial = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines.filter(Boolean)) onLine(name, line);
    });
    stream?.on('end', () => partial && onLine(name, partial));
  }
}

/** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Polls `url` until it answers 2xx. */
export async function waitForReady(url: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} did not become ready in ${Math.round(timeoutMs / 1000)} s`);
}
