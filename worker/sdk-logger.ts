import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from '../lib/logger';

const sdkLevels: Record<string, LogLevel> = { trace: 'TRACE', debug: 'DEBUG', info: 'INFO', warn: 'WARN', error: 'ERROR', silent: 'ERROR' };

/**
 * Sends the Temporal SDK's own log lines, the native core's included, through our redacting
 * logger; and, given `coreMetrics`, has the native core serve its metrics to Prometheus on that
 * address (a private loopback port the worker's /metrics reads). Once per process: the SDK's
 * runtime can be installed only once, so both go in this one call.
 */
export function installSdkLogger(logger: Logger, level: string, coreMetrics?: { bindAddress: string }): void {
  const sdkLevel = sdkLevels[level] ?? 'INFO';
  Runtime.install({
    telemetryOptions: {
      logging: { filter: { core: sdkLevel, other: 'WARN' }, forward: {} },
      ...(coreMetrics && { metrics: { prometheus: { bindAddress: coreMetrics.bindAddress } } }),
    },
    logger: new DefaultLogger(sdkLevel, ({ level: l, message, meta }) => {
      // One worker per queue runs either workflows or activities: these warnings are by design.
      if (/^No (workflows|activities|Nexus services) registered/.test(message)) return;
      const method = l === 'TRACE' ? 'trace' : l === 'DEBUG' ? 'debug' : l === 'WARN' ? 'warn' : l === 'ERROR' ? 'error' : 'info';
      logger[method](meta ?? {}, message);
    }),
  });
}
