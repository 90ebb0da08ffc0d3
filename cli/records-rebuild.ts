import { Client, Connection } from '@temporalio/client';
import { householdPseudonymKey, loadConfig, payloadKeyRing } from '../config/config';
import { householdPseudonym } from '../lib/household-pseudonym';
import { RecordCipher } from '../lib/record-cipher';
import { rebuildRecords } from '../records/rebuild';
import { connectRecords } from '../records/records-db';
import { cliRecordsUrl } from './records-url';
import { encryptedDataConverter } from '../temporal/payload-codec';

/**
 * `sinergi records rebuild [--closed] [--rollout <id>]`: with the API's and workers' configuration (DATABASE_URL,
 * key ring, household key, Temporal address), while a worker runs (it answers the queries).
 * Prints counts only; exits 1 if a workflow could not be read.
 */
export async function rebuildFromTemporal(options: { closed?: boolean; rollout?: string }, print: (summary: string, body: unknown) => void): Promise<void> {
  const config = loadConfig();
  const keys = payloadKeyRing(config);
  const db = await connectRecords(cliRecordsUrl(config), new RecordCipher(keys), (message) => console.error(message));
  const connection = await Connection.connect({ address: config.temporal.address }).catch((err: unknown) => {
    throw new Error(`cannot reach Temporal at ${config.temporal.address}: ${String(err)}`);
  });
  try {
    const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter: encryptedDataConverter(keys) });
    const counts = await rebuildRecords(
      { client, db, householdKeyOf: householdPseudonym(householdPseudonymKey(config)) },
      { closed: options.closed, rolloutId: options.rollout, onProgress: (c) => console.error(`  ${c.runs.found} runs read...`) },
    );
    const line = (name: string, c: (typeof counts)['runs']) =>
      `  ${name}: ${c.found} found, ${c.written} written, ${c.current} already current${c.failed ? `, ${c.failed} could not be read (is a worker running?)` : ''}`;
    print(`records re-projected from Temporal (${options.closed ? 'running and closed' : 'running'}):\n${line('rollouts', counts.rollouts)}\n${line('runs', counts.runs)}`, counts);
    if (counts.runs.failed || counts.rollouts.failed) process.exitCode = 1;
  } finally {
    await connection.close();
    await db.pool.end();
  }
}
