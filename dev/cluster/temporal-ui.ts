import { spawn } from 'node:child_process';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { prefixOutput, stopChild, waitForReady, type Launched } from '../supervisor';
import type { Environment } from './compose-file';
import { clusterTools } from './cluster-tools';
import type { OnLine } from './temporal-server';

export interface TemporalUiOptions {
  /** Where the UI's config directory is written. */
  dir: string;
  port: number;
  /**
   * The temporalio/ui image's environment (docker-compose.yml's temporal-ui service: frontend
   * address, namespace, CORS origins, codec endpoint and its credentials), for 127.0.0.1.
   */
  env: Environment;
  onLine: OnLine;
}

/**
 * Starts the Temporal UI server (the go-installed v2.42.1) with the config the temporalio/ui image
 * runs with (the UI module's config/docker.yaml, a template over the same environment variables),
 * listening on 127.0.0.1 alone, and waits for its health check.
 */
export async function launchTemporalUi(options: TemporalUiOptions): Promise<Launched> {
  const configDir = path.join(options.dir, 'config');
  await mkdir(configDir, { recursive: true });
  await copyFile(path.join(clusterTools.uiConfig, 'docker.yaml'), path.join(configDir, 'docker.yaml'));
  // Read before docker.yaml, which sets no host: the image listens on every interface of its container.
  await writeFile(path.join(configDir, 'base.yaml'), 'host: 127.0.0.1\n');
  const child = spawn(clusterTools.uiServer, ['--root', options.dir, '--config', 'config', '--env', 'docker', 'start'], {
    cwd: options.dir,
    env: { PATH: process.env.PATH ?? '', ...options.env, TEMPORAL_UI_PORT: String(options.port) },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Stopped in order by the launcher, not by a Ctrl-C reaching the whole terminal's group.
    detached: true,
  });
  prefixOutput(child, 'temporal-ui', options.onLine);
  const launched: Launched = { process: child, stop: () => stopChild(child, 10_000) };
  try {
    await Promise.race([
      waitForReady(`http://127.0.0.1:${options.port}/healthz`, 60_000),
      new Promise((_resolve, reject) => child.once('exit', (code) => reject(new Error(`the Temporal UI server exited (${code}) at start`)))),
    ]);
  } catch (err) {
    await launched.stop();
    throw err;
  }
  return launched;
}
