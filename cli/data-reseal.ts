import { Client, Connection } from '@temporalio/client';
import { resealDataDir } from '../cohort/reseal-records';
import { loadConfig, payloadKeyRing } from '../config/config';
import { RecordCipher } from '../lib/record-cipher';
import { encryptedDataConverter } from '../temporal/payload-codec';
import { cohortsBeingStarted } from '../temporal/visibility/cohorts-being-started';

/**
 * `sinergi data reseal`: run where DATA_DIR is, with the API's and workers' configuration (key
 * ring, Temporal address). Reseals every record under DATA_DIR under the current key, except the
 * households of a cohort a rollout is still starting runs from (it reads them by byte offset),
 * which Temporal's visibility tells. Prints counts per kind of file, never a record; exits 1 if
 * a record would not open (e.g. its key is no longer in the ring).
 */
export async function resealData(print: (summary: string, body: unknown) => void): Promise<void> {
  const config = loadConfig();
  const keys = payloadKeyRing(config);
  const dataDir = { root: config.dataDir, cipher: new RecordCipher(keys) };
  const connection = await Connection.connect({ address: config.temporal.address }).catch((err: unknown) => {
    throw new Error(`cannot reach Temporal at ${config.temporal.address} (needed to see which cohorts rollouts are still starting from): ${String(err)}`);
  });
  try {
    const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter: encryptedDataConverter(keys) });
    const inUse = await cohortsBeingStarted(client, config.temporal.namespace);
    const { counts, problems } = await resealDataDir(dataDir, { skipCohort: (cohortId) => inUse.any || inUse.cohortIds.has(cohortId) });
    const lines = Object.entries(counts).map(
      ([kind, c]) =>
        `  ${kind}: ${c.files} files, ${c.resealed} records resealed, ${c.alreadyCurrent} already current` +
        (c.unreadable ? `, ${c.unreadable} unreadable (kept as they were)` : '') +
        (c.skipped ? `, ${c.skipped} files skipped (a rollout is still starting runs from them; run again once it has started them all)` : ''),
    );
    print(`records under ${config.dataDir}, current key "${dataDir.cipher.currentKeyId}":\n${lines.join('\n')}`, { currentKeyId: dataDir.cipher.currentKeyId, counts });
    if (problems.length) {
      // Each names a file, a record's number and a key id; never the record.
      console.error(`${problems.length} records would not open and were kept as they were:\n${problems.slice(0, 20).map((p) => `  ${p}`).join('\n')}`);
      process.exitCode = 1;
    }
  } finally {
    await connection.close();
  }
}
