import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// No Docker engine runs in CI, so these checks are what keeps docker-compose.yml in step with
// the code: the services it must have, the environment the app reads, pinned images.

interface Service {
  image?: string;
  build?: unknown;
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: Record<string, unknown> | string[];
}

const root = path.resolve(__dirname, '..', '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
// The file shares one app service template through YAML merge keys (<<), as Compose reads it.
const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service> };
const services = compose.services;
const envExampleKeys = [...read('.env.example').matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1] ?? '');
const appServices = ['worker', 'api', 'simulators'];

function environmentOf(name: string): Record<string, string> {
  const env = services[name]?.environment ?? {};
  const entries = Array.isArray(env)
    ? env.map((line): [string, string] => [line.split('=')[0] ?? '', line.slice(line.indexOf('=') + 1)])
    : Object.entries(env).map(([key, value]): [string, string] => [key, String(value ?? '')]);
  return Object.fromEntries(entries);
}

/** Host part of "host:port" or of a URL. */
function hostOf(address: string): string {
  return address.includes('://') ? new URL(address).hostname : (address.split(':')[0] ?? '');
}

describe('docker-compose.yml', () => {
  it('has the services the deployment is made of', () => {
    expect(Object.keys(services)).toEqual(
      expect.arrayContaining([
        'postgresql',
        'temporal-schema',
        'temporal',
        'temporal-namespace',
        'temporal-ui',
        'mailpit',
        'simulators',
        'api',
        'worker',
      ]),
    );
  });

  it('gives every app service every key of .env.example', () => {
    expect(envExampleKeys.length).toBeGreaterThan(0);
    for (const name of appServices) {
      const missing = envExampleKeys.filter((key) => !(key in environmentOf(name)));
      expect(missing, `${name} lacks`).toEqual([]);
    }
  });

  it('points the app services at the other services by their compose names', () => {
    for (const name of appServices) {
      const env = environmentOf(name);
      expect(hostOf(env.TEMPORAL_ADDRESS ?? ''), `${name} TEMPORAL_ADDRESS`).toBe('temporal');
      expect(env.TEMPORAL_ADDRESS).toMatch(/:7233$/);
      for (const key of ['KEMENSOS_URL', 'KEMNAKER_URL', 'KEMENKOP_URL', 'PEMDA_URL']) {
        expect(hostOf(env[key] ?? ''), `${name} ${key}`).toBe('simulators');
      }
      expect(hostOf(env.SIM_WEBHOOK_BASE_URL ?? ''), `${name} SIM_WEBHOOK_BASE_URL`).toBe('api');
      expect(hostOf(env.SMTP_URL ?? ''), `${name} SMTP_URL`).toBe('mailpit');
    }
    expect(Object.keys(services)).toEqual(expect.arrayContaining(['temporal', 'simulators', 'api', 'mailpit']));
  });

  it('pins every image to an explicit version tag', () => {
    for (const [name, service] of Object.entries(services)) {
      // A built service still needs a tagged name, or Compose would call its image "latest".
      const image = service.image ?? '';
      const withoutDigest = image.split('@')[0] ?? '';
      const lastPart = withoutDigest.split('/').pop() ?? '';
      const tag = lastPart.includes(':') ? lastPart.slice(lastPart.indexOf(':') + 1) : '';
      expect(tag, `${name} image "${image}"`).toMatch(/^v?\d+(\.\d+)*([.-][\w.-]+)?$/);
    }
  });

  it('depends only on services that exist', () => {
    for (const [name, service] of Object.entries(services)) {
      const deps = service.depends_on ?? [];
      for (const dep of Array.isArray(deps) ? deps : Object.keys(deps)) {
        expect(Object.keys(services), `${name} depends on ${dep}`).toContain(dep);
      }
    }
  });
});
