import { agencyDefinitionOf, agencies } from '../../domain/agency';
import { agencyEnvKeys } from '../../config/config';
import { interpolateAll, type ComposeFile, type Environment } from './compose-file';
import type { ClusterPorts } from './cluster-ports';

type UserEnvironment = Readonly<Record<string, string | undefined>>;

/** The compose network's names for the services, which are 127.0.0.1 here. */
export const composeHosts = ['temporal', 'simulators', 'api', 'mailpit', 'postgresql', 'temporal-ui', 'localhost'];

export interface AppEnvOptions {
  compose: ComposeFile;
  ports: ClusterPorts;
  /** The user's own settings: any key of x-sinergi-env set here wins over the compose file's value. */
  userEnv: UserEnvironment;
  /** DATA_DIR of the app processes: only the API's personal-data audit and what an older version left there; workers read nothing from it (cohorts are in the records store), so they need not share it. */
  dataDir: string;
  /** The records store (DATABASE_URL). */
  databaseUrl: string;
}

/**
 * The environment docker-compose.yml gives its app services (x-sinergi-env), for processes on one
 * machine: interpolated as Compose would, with the user's own values first, each compose host
 * rewritten to 127.0.0.1 and its port to the cluster's, the listeners bound to loopback (unless
 * the user says otherwise), and the cluster's own data directory and records store. NODE_ENV is
 * left out (the image's `production` would refuse the development keys): only the user's own
 * NODE_ENV is passed on.
 */
export function appEnvironment(options: AppEnvOptions): Environment {
  const { compose, ports, userEnv } = options;
  const composeEnv = interpolateAll(compose.sinergiEnv, userEnv);
  const userSet = (key: string) => userEnv[key] !== undefined && userEnv[key] !== '';
  const env: Environment = {};
  for (const [key, value] of Object.entries(composeEnv)) {
    if (key === 'NODE_ENV') continue;
    env[key] = userSet(key) ? userEnv[key]! : value;
  }
  if (userSet('NODE_ENV')) env.NODE_ENV = userEnv.NODE_ENV!;

  const api = `127.0.0.1:${ports.api}`;
  const rewrites = addressRewrites(composeEnv, ports);
  for (const [key, value] of Object.entries(env)) {
    if (!userSet(key)) env[key] = rewrites.reduce((v, [from, to]) => v.replaceAll(from, to), value);
  }
  for (const bind of ['API_HOST', 'SIM_HOST', 'WORKER_METRICS_HOST', 'MAIL_SINK_HOST']) {
    if (!userSet(bind)) env[bind] = '127.0.0.1';
  }
  Object.assign(env, {
    TEMPORAL_ADDRESS: `127.0.0.1:${ports.temporal.frontend}`,
    TEMPORAL_UI_PORT: String(ports.temporalUi),
    DATA_DIR: options.dataDir,
    DATABASE_URL: options.databaseUrl,
    EMBEDDED_POSTGRES_PORT: String(ports.postgres),
    API_PORT: String(ports.api),
    MAIL_SINK_SMTP_PORT: String(ports.mailSink.smtp),
    MAIL_SINK_HTTP_PORT: String(ports.mailSink.http),
    WORKER_METRICS_PORT: String(ports.workerMetrics),
  });
  for (const agency of agencies) env[agencyEnvKeys(agencyDefinitionOf[agency]).simulatorPort] = String(ports.simulators[agency]);
  // Mailpit is not run here: the embedded mail sink takes its place on the cluster's SMTP port.
  if (!userSet('SMTP_URL')) env.SMTP_URL = `smtp://127.0.0.1:${ports.mailSink.smtp}`;
  if (!userSet('SIM_WEBHOOK_BASE_URL')) env.SIM_WEBHOOK_BASE_URL = `http://${api}`;
  return env;
}

/**
 * host:port pairs as the compose file writes them (service names inside the compose network,
 * localhost for published ports) and what they are in the cluster.
 */
function addressRewrites(composeEnv: Environment, ports: ClusterPorts): [string, string][] {
  const hostPort = (address: string | undefined) => (address ? (address.includes('://') ? new URL(address).host : address) : '');
  const loopback = (port: number) => `127.0.0.1:${port}`;
  const pairs: [string, string][] = [
    [hostPort(composeEnv.TEMPORAL_ADDRESS), loopback(ports.temporal.frontend)],
    [hostPort(composeEnv.SIM_WEBHOOK_BASE_URL), loopback(ports.api)],
    [hostPort(composeEnv.PUBLIC_BASE_URL), loopback(ports.api)],
    [hostPort(composeEnv.TEMPORAL_UI_URL), loopback(ports.temporalUi)],
    [hostPort(composeEnv.SMTP_URL), loopback(ports.mailSink.smtp)],
    ...agencies.map((agency): [string, string] => [hostPort(composeEnv[agencyEnvKeys(agencyDefinitionOf[agency]).url]), loopback(ports.simulators[agency])]),
  ];
  return pairs.filter(([from]) => from !== '');
}

/** The same rewrites over another service's environment (the Temporal UI's). */
export function rewriteAddresses(env: Environment, compose: ComposeFile, ports: ClusterPorts, userEnv: UserEnvironment): Environment {
  const rewrites = addressRewrites(interpolateAll(compose.sinergiEnv, userEnv), ports);
  return Object.fromEntries(Object.entries(interpolateAll(env, userEnv)).map(([key, value]) => [key, rewrites.reduce((v, [from, to]) => v.replaceAll(from, to), value)]));
}
