import { createServer } from 'node:net';
import { agencies, byAgency, type Agency } from '../../domain/agency';
import { freePort } from '../free-port';

/** The Temporal server's own listeners (the image's defaults); the frontend's gRPC port is TEMPORAL_ADDRESS's. */
export interface TemporalServerPorts {
  frontend: number;
  frontendHttp: number;
  frontendMembership: number;
  history: number;
  historyMembership: number;
  matching: number;
  matchingMembership: number;
  worker: number;
  workerMembership: number;
}

/** Every port the cluster listens on, all on 127.0.0.1. */
export interface ClusterPorts {
  /** The embedded PostgreSQL's (unused when a DATABASE_URL is given). */
  postgres: number;
  temporal: TemporalServerPorts;
  temporalUi: number;
  api: number;
  simulators: Record<Agency, number>;
  mailSink: { smtp: number; http: number };
  /** The first worker's /metrics port; the next workers count up from it. 0: each worker picks a free one. */
  workerMetrics: number;
}

export const defaultTemporalServerPorts = (frontend = 7233): TemporalServerPorts => ({
  frontend,
  frontendHttp: 7243,
  frontendMembership: 6933,
  history: 7234,
  historyMembership: 6934,
  matching: 7235,
  matchingMembership: 6935,
  worker: 7239,
  workerMembership: 6939,
});

/** A free port for each listener (tests): nothing else on the machine is in the way. */
export async function freeClusterPorts(): Promise<ClusterPorts> {
  const take = async (n: number) => Promise.all(Array.from({ length: n }, () => freePort()));
  const [postgres, temporalUi, api, smtp, http, frontend, frontendHttp, history, matching, worker, ...sims] = await take(10 + agencies.length);
  // Temporal keeps membership ports in a smallint column: below the system's ephemeral range.
  const [frontendMembership, historyMembership, matchingMembership, workerMembership] = await freePortsBelow(32_768, 4);
  return {
    postgres: postgres!,
    temporal: { frontend: frontend!, frontendHttp: frontendHttp!, frontendMembership: frontendMembership!, history: history!, historyMembership: historyMembership!, matching: matching!, matchingMembership: matchingMembership!, worker: worker!, workerMembership: workerMembership! },
    temporalUi: temporalUi!,
    api: api!,
    simulators: byAgency((_d, a) => sims[agencies.indexOf(a)]!),
    mailSink: { smtp: smtp!, http: http! },
    workerMetrics: 0,
  };
}

/** `count` distinct ports under `limit` (and over 20000) that nothing listens on now. */
async function freePortsBelow(limit: number, count: number): Promise<number[]> {
  const found = new Set<number>();
  while (found.size < count) {
    const port = 20_000 + Math.floor(Math.random() * (limit - 20_000));
    if (!found.has(port) && (await canListen(port))) found.add(port);
  }
  return [...found];
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
