import { loadConfig } from '../../config/config';
import { agencies } from '../../domain/agency';
import { startSimulators } from './start-simulators';

async function main(): Promise<void> {
  const config = loadConfig();
  const sims = await startSimulators({
    host: config.simulators.host,
    ports: config.simulators.ports,
    webhookBaseUrl: config.simulators.webhookBaseUrl,
    endpoints: config.agencies,
    webhookSecrets: config.webhooks.secrets,
    delayMs: config.simulators.delayMs,
    logLevel: config.logLevel,
  });
  for (const agency of agencies) {
    console.log(`${agency} simulator on ${sims.urls[agency]} (control: ${sims.urls[agency]}/_simulator/behaviour)`);
  }
  const stop = () => void sims.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
