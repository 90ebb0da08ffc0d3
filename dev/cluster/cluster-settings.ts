import path from 'node:path';
import { z } from 'zod';
import { loadConfig } from '../../config/config';
import { defaultTemporalServerPorts, type ClusterPorts } from './cluster-ports';

const count = (min: number) => z.coerce.number().int().min(min).max(32);
/** The launcher's own keys, beside the app's (config/config.ts). */
const ClusterEnvSchema = z.object({
  WORKERS: count(1).default(2),
  AGENCY_WORKERS: count(0).default(0),
});

export interface ClusterSettings {
  dir: string;
  ports: ClusterPorts;
  workers: number;
  agencyWorkers: number;
  databaseUrl?: string;
}

/**
 * npm run cluster's settings, read once from the environment: its own (WORKERS, AGENCY_WORKERS)
 * and the ports, directory and database the app's config module reads (with the same defaults),
 * so one set of keys configures both.
 */
export function clusterSettings(env: NodeJS.ProcessEnv = process.env): ClusterSettings {
  const parsed = ClusterEnvSchema.safeParse(env);
  if (!parsed.success) throw new Error(`Invalid configuration:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  const config = loadConfig(env);
  const frontend = Number(config.temporal.address.slice(config.temporal.address.lastIndexOf(':') + 1));
  return {
    dir: path.resolve(config.dataDir, 'cluster'),
    ports: {
      postgres: config.records.embeddedPort,
      temporal: defaultTemporalServerPorts(frontend),
      temporalUi: config.temporal.uiPort,
      api: config.api.port,
      simulators: config.simulators.ports,
      mailSink: { smtp: config.mailSink.smtpPort, http: config.mailSink.httpPort },
      workerMetrics: config.worker.metricsPort,
    },
    workers: parsed.data.WORKERS,
    agencyWorkers: parsed.data.AGENCY_WORKERS,
    databaseUrl: config.records.databaseUrl,
  };
}
