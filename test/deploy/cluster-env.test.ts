import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/config';
import { appEnvironment, composeHosts, rewriteAddresses } from '../../dev/cluster/app-env';
import { defaultTemporalServerPorts, type ClusterPorts } from '../../dev/cluster/cluster-ports';
import { interpolate, readComposeFile } from '../../dev/cluster/compose-file';
import { workerSpecs } from '../../dev/cluster/start-cluster';

// npm run cluster runs docker-compose.yml's topology as processes: these check, without starting
// it, that it gives them the compose file's settings, for one machine.

const compose = readComposeFile();
const ports: ClusterPorts = {
  postgres: 15433,
  temporal: defaultTemporalServerPorts(17233),
  temporalUi: 18233,
  api: 18080,
  simulators: { kemensos: 19101, kemnaker: 19102, kemenkop: 19103, pemda: 19104 },
  mailSink: { smtp: 11025, http: 18025 },
  workerMetrics: 19464,
};
const options = { compose, ports, dataDir: '/srv/sinergi/cluster/sinergi', databaseUrl: 'postgres://sinergi:pw@127.0.0.1:15433/sinergi' };
/** A value still naming a compose service (or a published localhost port) by host:port. */
const composeAddress = new RegExp(`(^|[/@])(${composeHosts.join('|')}):\\d+`);

describe("npm run cluster's environment", () => {
  const env = appEnvironment({ ...options, userEnv: {} });

  it("gives the app processes every key of docker-compose.yml's x-sinergi-env but NODE_ENV", () => {
    const keys = Object.keys(compose.sinergiEnv).filter((k) => k !== 'NODE_ENV');
    expect(keys.length).toBeGreaterThan(40);
    expect(Object.keys(env).sort()).toEqual(keys.sort());
  });

  it('points every address at 127.0.0.1 and the cluster ports, and binds to loopback', () => {
    for (const [key, value] of Object.entries(env)) expect(value, key).not.toMatch(composeAddress);
    expect(env.TEMPORAL_ADDRESS).toBe('127.0.0.1:17233');
    expect(env.KEMENSOS_URL).toBe('http://127.0.0.1:19101');
    expect(env.PEMDA_URL).toBe('http://127.0.0.1:19104');
    expect(env.SIM_PEMDA_PORT).toBe('19104');
    expect(env.SIM_WEBHOOK_BASE_URL).toBe('http://127.0.0.1:18080');
    expect(env.PUBLIC_BASE_URL).toBe('http://127.0.0.1:18080');
    expect(env.TEMPORAL_UI_URL).toBe('http://127.0.0.1:18233');
    expect(env.SINERGI_TEMPORAL_UI_ORIGIN).toBe('http://127.0.0.1:18233');
    expect(env.SMTP_URL).toBe('smtp://127.0.0.1:11025');
    expect(env.DATABASE_URL).toBe(options.databaseUrl);
    expect(env.DATA_DIR).toBe(options.dataDir);
    expect([env.API_HOST, env.SIM_HOST, env.WORKER_METRICS_HOST]).toEqual(['127.0.0.1', '127.0.0.1', '127.0.0.1']);
    expect(env.API_PORT).toBe('18080');
  });

  it("keeps the compose file's other values, interpolated as Compose does", () => {
    expect(env.SIM_DELAY_MS).toBe(compose.sinergiEnv.SIM_DELAY_MS);
    expect(env.KEMENSOS_WEBHOOK_SECRETS).toMatch(/^whsec_/);
    // Unset: the development keys (NODE_ENV is not production here).
    expect(env.SINERGI_PAYLOAD_KEYS).toBe('');
    expect(() => loadConfig(env)).not.toThrow();
  });

  it("takes the user's own settings first, NODE_ENV included", () => {
    const mine = appEnvironment({ ...options, userEnv: { SIM_DELAY_MS: '250', KEMENSOS_URL: 'https://kemensos.example/api', NODE_ENV: 'production', SINERGI_DB_PASSWORD: 'x' } });
    expect(mine.SIM_DELAY_MS).toBe('250');
    expect(mine.KEMENSOS_URL).toBe('https://kemensos.example/api');
    expect(mine.NODE_ENV).toBe('production');
    expect(env.NODE_ENV).toBeUndefined();
  });

  it("rewrites the Temporal UI service's environment likewise", () => {
    const ui = rewriteAddresses(compose.serviceEnv('temporal-ui'), compose, ports, {});
    expect(ui.TEMPORAL_ADDRESS).toBe('127.0.0.1:17233');
    expect(ui.TEMPORAL_CODEC_ENDPOINT).toBe('http://127.0.0.1:18080/v1/codec');
    expect(ui.TEMPORAL_CORS_ORIGINS).toBe('http://127.0.0.1:18233');
    expect(ui.TEMPORAL_CODEC_INCLUDE_CREDENTIALS).toBe('true');
  });

  it("reads in deploy/temporal/config/cluster.yaml every variable compose gives the temporal service", () => {
    const template = readFileSync(path.resolve(__dirname, '..', '..', 'deploy', 'temporal', 'config', 'cluster.yaml'), 'utf8');
    const read = new Set([...template.matchAll(/env "([A-Z_]+)"/g)].map((m) => m[1]));
    expect(Object.keys(compose.serviceEnv('temporal')).filter((key) => !read.has(key))).toEqual([]);
  });

  it('splits the workers into workflow workers and per-agency workers on request', () => {
    expect(workerSpecs(2, 0).map((w) => w.name)).toEqual(['worker-1', 'worker-2']);
    const split = workerSpecs(1, 1);
    expect(split.map((w) => w.name)).toEqual(['worker-1', 'worker-kemensos-1', 'worker-kemnaker-1', 'worker-kemenkop-1', 'worker-pemda-1']);
    expect(split[0]!.env).toEqual({ WORKER_RUNS_WORKFLOWS: 'true', WORKER_AGENCIES: '' });
    expect(split[1]!.env).toEqual({ WORKER_RUNS_WORKFLOWS: 'false', WORKER_AGENCIES: 'kemensos' });
  });
});

describe("Compose's interpolation", () => {
  it('reads ${VAR}, ${VAR:-default}, ${VAR-default} and $$', () => {
    expect(interpolate('${A:-x}/${B-y}/${C}/$$/${D:-}', { A: '', B: '', C: 'c' })).toBe('x//c/$/');
    expect(() => interpolate('${E:?needed}', {})).toThrow(/E must be set: needed/);
  });
});
