import type { Server } from 'node:http';
import type { DestinationStream } from 'pino';
import type { AddressInfo } from 'node:net';
import type { AgencyEndpoints, WebhookSecrets } from '../config/config';
import { agencies, type Agency } from '../domain/agency';
import { createLogger } from '../logging/logger';
import { kemenkopSimulation } from './agencies/kemenkop';
import { kemensosSimulation } from './agencies/kemensos';
import { kemnakerSimulation } from './agencies/kemnaker';
import { pemdaSimulation } from './agencies/pemda';
import { defaultBehaviour, type Behaviour } from './behaviour';
import { createMinistrySimulator, type AgencySimulation, type SimulatorControl } from './ministry-simulator';

export interface SimulatorsOptions {
  host: string;
  /** 0 picks a free port. */
  ports: Record<Agency, number>;
  /** Sinergi's API, where the ministries deliver their webhooks. */
  webhookBaseUrl: string;
  /** The credentials each ministry expects from Sinergi's adapters. */
  endpoints: AgencyEndpoints;
  /** Each ministry signs its webhooks with the first (current) of its secrets. */
  webhookSecrets: WebhookSecrets;
  delayMs: number;
  behaviour?: Partial<Record<Agency, Partial<Behaviour>>>;
  logLevel: string;
  logDestination?: DestinationStream;
}

const simulations: { [A in Agency]: (c: AgencyEndpoints[A]) => AgencySimulation } = {
  kemensos: kemensosSimulation,
  kemnaker: kemnakerSimulation,
  kemenkop: kemenkopSimulation,
  pemda: pemdaSimulation,
};

/** Starts the four ministry simulators, each a real HTTP server on its own port. */
export async function startSimulators(options: SimulatorsOptions) {
  const logger = createLogger(options.logLevel, 'simulators', options.logDestination);
  const started = await Promise.all(
    agencies.map(async (agency) => {
      const simulator = createMinistrySimulator({
        simulation: (simulations[agency] as (c: AgencyEndpoints[Agency]) => AgencySimulation)(options.endpoints[agency]),
        webhookBaseUrl: options.webhookBaseUrl,
        webhookSecret: options.webhookSecrets[agency][0]!,
        behaviour: { ...defaultBehaviour(options.delayMs), ...options.behaviour?.[agency] },
        logger: logger.child({ agency }),
      });
      const server: Server = await new Promise((resolve, reject) => {
        const s = simulator.app.listen(options.ports[agency], options.host, () => resolve(s)).once('error', reject);
      });
      const { port } = server.address() as AddressInfo;
      return { agency, simulator, server, url: `http://${options.host === '0.0.0.0' ? '127.0.0.1' : options.host}:${port}` };
    }),
  );
  const byAgency = <T>(pick: (s: (typeof started)[number]) => T) =>
    Object.fromEntries(started.map((s) => [s.agency, pick(s)])) as Record<Agency, T>;
  return {
    urls: byAgency((s) => s.url),
    control: byAgency((s): SimulatorControl => s.simulator.control),
    async close(): Promise<void> {
      await Promise.all(
        started.map(({ simulator, server }) => {
          simulator.stop();
          server.closeAllConnections();
          return new Promise((resolve) => server.close(resolve));
        }),
      );
    },
  };
}
