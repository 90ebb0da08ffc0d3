import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DestinationStream } from 'pino';
import type { AgencyEndpoints, WebhookSecrets } from '../../config/config';
import { agencies, agencyDefinitionOf, type Agency } from '../../domain/agency';
import { createLogger } from '../../lib/logger';
import { defaultBehaviour, type Behaviour } from './behaviour';
import { createMinistrySimulator, type SimulatorControl } from './ministry-simulator';

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

export interface Simulators {
  urls: Record<Agency, string>;
  control: Record<Agency, SimulatorControl>;
  /** Cancels pending reports and deliveries, then closes the servers. */
  close(): Promise<void>;
}

/** Starts a simulator for every agency of the registry, each a real HTTP server on its own port. */
export async function startSimulators(options: SimulatorsOptions): Promise<Simulators> {
  const logger = createLogger(options.logLevel, 'simulators', options.logDestination);
  const simulators = agencies.map((agency) => ({
    agency,
    simulator: createMinistrySimulator({
      definition: agencyDefinitionOf[agency],
      endpoint: options.endpoints[agency],
      webhookBaseUrl: options.webhookBaseUrl,
      webhookSecret: options.webhookSecrets[agency][0]!,
      behaviour: { ...defaultBehaviour(options.delayMs), ...options.behaviour?.[agency] },
      logger: logger.child({ agency }),
    }),
  }));
  const listening = await Promise.allSettled(
    simulators.map(
      ({ agency, simulator }) =>
        new Promise<Server>((resolve, reject) => {
          const server = simulator.app.listen(options.ports[agency], options.host, () => resolve(server)).once('error', reject);
        }),
    ),
  );
  const servers = listening.flatMap((l) => (l.status === 'fulfilled' ? [l.value] : []));
  const close = async (): Promise<void> => {
    for (const { simulator } of simulators) simulator.stop();
    await Promise.all(
      servers.map((server) => {
        server.closeAllConnections();
        return new Promise((resolve) => server.close(resolve));
      }),
    );
  };
  const failed = listening.find((l) => l.status === 'rejected');
  if (failed) {
    // Free the ports already taken, so a retry (or the next test) can have them.
    await close();
    throw failed.reason;
  }
  const byAgency = <T>(pick: (i: number) => T) => Object.fromEntries(agencies.map((a, i) => [a, pick(i)])) as Record<Agency, T>;
  // A server bound to every interface is reached, from here, on loopback.
  const host = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    urls: byAgency((i) => `http://${urlHost}:${(servers[i]!.address() as AddressInfo).port}`),
    control: byAgency((i) => simulators[i]!.simulator.control),
    close,
  };
}
