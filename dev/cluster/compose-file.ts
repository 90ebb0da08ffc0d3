import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

export type Environment = Record<string, string>;

/** What the cluster reads from docker-compose.yml: the app's settings and each service's environment. */
export interface ComposeFile {
  /** The `x-sinergi-env` block every app service gets, as written (before interpolation). */
  sinergiEnv: Environment;
  /** A service's `environment`, as written; empty for an unknown service. */
  serviceEnv(service: string): Environment;
}

export const composeFilePath = path.resolve(__dirname, '..', '..', 'docker-compose.yml');

/**
 * Reads docker-compose.yml, so the cluster runs the processes with the settings the compose file
 * gives its containers and the two cannot drift apart.
 */
export function readComposeFile(file = composeFilePath): ComposeFile {
  // Merge keys (<<) as Compose reads them: the app services share one template.
  const doc = parse(readFileSync(file, 'utf8'), { merge: true }) as {
    'x-sinergi-env'?: Record<string, unknown>;
    services?: Record<string, { environment?: Record<string, unknown> | string[] }>;
  };
  if (!doc['x-sinergi-env']) throw new Error(`${file} has no x-sinergi-env block`);
  return {
    sinergiEnv: asEnvironment(doc['x-sinergi-env']),
    serviceEnv: (service) => asEnvironment(doc.services?.[service]?.environment ?? {}),
  };
}

function asEnvironment(env: Record<string, unknown> | string[]): Environment {
  const entries = Array.isArray(env)
    ? env.map((line): [string, string] => [line.split('=')[0] ?? '', line.includes('=') ? line.slice(line.indexOf('=') + 1) : ''])
    : Object.entries(env).map(([key, value]): [string, string] => [key, value === null || value === undefined ? '' : String(value)]);
  return Object.fromEntries(entries);
}

/**
 * Compose's variable interpolation over one value: `${VAR}`, `${VAR:-default}` (unset or empty),
 * `${VAR-default}` (unset), `${VAR:?message}` and `${VAR?message}` (required), and `$$` for `$`.
 */
export function interpolate(value: string, env: Readonly<Record<string, string | undefined>>): string {
  return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (match, braced?: string, op?: string, arg?: string, bare?: string) => {
    if (match === '$$') return '$';
    const name = (braced ?? bare)!;
    const current = env[name];
    const missing = op?.startsWith(':') ? !current : current === undefined;
    if (!missing) return current ?? '';
    if (op?.endsWith('?')) throw new Error(`${name} must be set: ${arg || 'required by docker-compose.yml'}`);
    return op ? (arg ?? '') : '';
  });
}

/** Every value of `env` interpolated. */
export function interpolateAll(env: Environment, from: Readonly<Record<string, string | undefined>>): Environment {
  return Object.fromEntries(Object.entries(env).map(([key, value]) => [key, interpolate(value, from)]));
}
