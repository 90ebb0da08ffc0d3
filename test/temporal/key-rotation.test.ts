import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Payload } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readHouseholdBatch } from '../../cohort/cohort-households';
import { readCohortReport } from '../../cohort/cohort-store';
import { eventually } from '../../dev/http';
import { startStack, type Stack } from '../../dev/stack';
import { dropDatabase, openRecordsDb } from '../../records/records-db';
import { resealColumns } from '../../records/reseal-columns';
import { graduationPlanV1 } from '../../domain/plans/graduation';
import { rolloutWorkflowId } from '../../domain/rollout';
import { keyIdOf, RecordCipher } from '../../lib/record-cipher';
import { EncryptionCodec, encryptedDataConverter, ENCRYPTED_ENCODING, KEY_ID_METADATA, PayloadDecryptionError } from '../../temporal/payload-codec';
import { workflowBundle } from '../../worker/workflow-bundle';
import { cohortHousehold, importCohort } from '../helpers/cohorts';
import { uniqueRolloutId } from '../helpers/households';
import { ended, stepIs, waitForState } from '../helpers/runs';

const k1 = { id: 'k1', key: randomBytes(32) };
const k2 = { id: 'k2', key: randomBytes(32) };
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('utf8');
type History = temporal.api.history.v1.IHistory;

/** A workflow's whole history as the server keeps it: no codec, payloads as they were written. */
async function rawHistory(stack: Stack, workflowId: string): Promise<History> {
  const events: temporal.api.history.v1.IHistoryEvent[] = [];
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await stack.client.workflowService.getWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId }, nextPageToken });
    events.push(...(page.history?.events ?? []));
    nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (nextPageToken);
  return { events };
}

/**
 * Every payload an event holds, wherever it sits, but search attributes (indexed in the clear by
 * design, never personal data), the SDK core's patch markers (the patch's id, written in the clear by the core) and
 * its local-activity markers' bookkeeping.
 */
function payloadsIn(value: unknown, found: Payload[] = []): Payload[] {
  if (!value || typeof value !== 'object' || value instanceof Uint8Array) return found;
  const record = value as Record<string, unknown>;
  if (record.markerName === 'core_patch') return found;
  // A local activity's marker (the records store's writes): the core's own bookkeeping under `data` (activity type, attempt,
  // times) is in the clear by design; its result, and a failure, are checked.
  if (record.markerName === 'core_local_activity') {
    const details = record.details as Record<string, unknown> | undefined;
    return payloadsIn({ result: details?.result, failure: record.failure }, found);
  }
  if (record.metadata && typeof record.metadata === 'object' && 'encoding' in record.metadata) return [...found, record as Payload];
  return Object.entries(record)
    .filter(([key]) => key !== 'searchAttributes' && key !== 'upsertWorkflowSearchAttributesEventAttributes')
    .reduce((acc, [, child]) => payloadsIn(child, acc), found);
}

const eventMs = (event: temporal.api.history.v1.IHistoryEvent) => Number(event.eventTime?.seconds ?? 0) * 1000 + Math.floor((event.eventTime?.nanos ?? 0) / 1e6);

describe('payload key rotation with runs under way', () => {
  let dataDir: string;
  // The records store too outlives the restart: both stacks keep it in this database.
  const database = `rotation_${Date.now().toString(36)}_${process.pid}`;
  let before: Stack | undefined;
  let after: Stack | undefined;
  const programId = `grad-rotation-${Date.now().toString(36)}`;
  const rolloutId = uniqueRolloutId('rotation');
  const eligible = [cohortHousehold(), cohortHousehold(), cohortHousehold()];
  const richer = cohortHousehold({ decile: 5 });
  let cohortId: string;
  let runIds: string[] = [];
  let rotatedAt = 0;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'sinergi-rotation-'));
  });
  afterAll(async () => {
    await before?.close();
    await after?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    await dropDatabase(inject('databaseUrl'), database);
  });

  it('runs started under key 1 complete after key 2 becomes current, and key 1 is only used to decode', async () => {
    before = await startStack({ temporalAddress: inject('temporalAddress'), payloadKeys: [k1], dataDir, database });
    // The runs wait at their first task: kemensos never reports to this stack.
    await before.sims.control.kemensos.setBehaviour({ silent: true });
    const program = await before.call('POST', '/v1/programs', { ...graduationPlanV1, programId, version: 1 });
    expect(program.status, JSON.stringify(program.body)).toBe(201);
    cohortId = await importCohort(before, [...eligible, richer]);
    const started = await before.call('POST', '/v1/rollouts', { rolloutId, cohortId, programId, reason: 'rotation test', pace: { batchSize: 50, startsPerSecond: 500, watchEvery: '1 second' } });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    runIds = await eventually(async () => {
      const res = await before!.call('GET', `/v1/runs?rollout=${rolloutId}&step=aid&status=running`);
      return res.status === 200 && res.body.runs.length === eligible.length ? (res.body.runs as { runId: string }[]).map((r) => r.runId) : undefined;
    }, 60_000, 'the rollout started its runs');
    const taskIds: string[] = [];
    for (const runId of runIds) taskIds.push((await waitForState(before, runId, stepIs('aid', 'open'))).steps[0]!.taskId!);

    // The worker and the API stop (Temporal stays up) and come back with key 2 first, key 1 listed.
    const taskQueue = before.taskQueue;
    await before.close();
    before = undefined;
    rotatedAt = Date.now();
    after = await startStack({ temporalAddress: inject('temporalAddress'), payloadKeys: [k2, k1], dataDir, taskQueue, database });
    // The ministry reports the tasks opened before the rotation; the later steps are opened and reported under key 2.
    for (const [i, taskId] of taskIds.entries()) {
      const body = { type: 'task.completed', timestamp: new Date().toISOString(), data: { taskId, result: { amount: 750000, transferReference: `TRF-ROT-${i}` } } };
      const res = await after.webhook('kemensos', `msg_rotation_${rolloutId}_${i}`, body);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    for (const runId of runIds) expect((await waitForState(after, runId, ended, 120_000)).status).toBe('completed');
    await eventually(async () => ((await getRolloutStatus(after!, rolloutId)) === 'completed' ? true : undefined), 60_000, 'the rollout completed');

    for (const workflowId of [...runIds, rolloutWorkflowId(rolloutId)]) {
      const events = (await rawHistory(after, workflowId)).events ?? [];
      const keyIds = (from: number, to: number) =>
        events.filter((e) => eventMs(e) >= from && eventMs(e) < to).flatMap((e) => payloadsIn(e).map((p) => `${text(p.metadata?.encoding)}:${text(p.metadata?.[KEY_ID_METADATA])}`));
      const written = { before: keyIds(0, rotatedAt), after: keyIds(rotatedAt, Infinity) };
      expect(written.before.length, workflowId).toBeGreaterThan(0);
      expect(written.after.length, workflowId).toBeGreaterThan(0);
      expect(new Set(written.before), workflowId).toEqual(new Set([`${ENCRYPTED_ENCODING}:k1`]));
      expect(new Set(written.after), workflowId).toEqual(new Set([`${ENCRYPTED_ENCODING}:k2`]));
    }
  });

  it('a process whose ring lacks key 1 cannot decode what was written before the rotation, and says key id "k1"', async () => {
    const history = await rawHistory(after!, runIds[0]!);
    const old = (history.events ?? []).filter((e) => eventMs(e) < rotatedAt).flatMap((e) => payloadsIn(e));
    await expect(new EncryptionCodec([k2]).decode(old)).rejects.toThrow(PayloadDecryptionError);
    const refused = await new EncryptionCodec([k2]).decode(old).catch((err: Error) => err.message);
    expect(refused).toContain('unknown key id "k1"');
    for (const key of [k1, k2]) expect(refused).not.toContain(Buffer.from(key.key).toString('base64'));
    // A worker replaying the whole history: with key 1 listed it replays, without it it fails naming key 1.
    const bundle = await workflowBundle();
    await Worker.runReplayHistory({ workflowBundle: bundle, dataConverter: encryptedDataConverter([k2, k1]) }, history, runIds[0]);
    // The codec alone: a worker's own failure converter would encrypt the failure, and its message with it.
    const replayed = await Worker.runReplayHistory({ workflowBundle: bundle, dataConverter: { payloadCodecs: [new EncryptionCodec([k2])] } }, history, runIds[0]).then(
      () => 'replayed',
      (err: Error) => `${err.message} ${String((err as { cause?: unknown }).cause)}`,
    );
    // The core quotes the message Rust-style: \"k1\".
    expect(replayed).toMatch(/unknown key id \\?"k1\\?"/);
  });

  it('reads the cohort, report and exclusions sealed under key 1 after the rotation, and once resealed needs key 1 no more', async () => {
    const stack = after!;
    const sealedUnder = async () =>
      (
        await stack.records.pool.query<{ value: string }>(
          `SELECT sealed AS value FROM cohort_households WHERE cohort_id = $1 UNION ALL SELECT report FROM cohorts WHERE cohort_id = $1
           UNION ALL SELECT sealed FROM exclusions WHERE rollout_id = $2`,
          [cohortId, rolloutId],
        )
      ).rows.map((r) => keyIdOf(r.value));
    expect(await sealedUnder()).toHaveLength(6);
    expect(new Set(await sealedUnder())).toEqual(new Set(['k1']));

    expect((await stack.call('GET', `/v1/cohorts/${cohortId}`)).body).toMatchObject({ cohortId, rows: 4, valid: 4 });
    const csv = await stack.text(`/v1/rollouts/${rolloutId}/report.csv`);
    expect(csv.status).toBe(200);
    const lineOf = (familyCardNumber: string) => csv.text.split('\n').find((l) => l.includes(familyCardNumber)) ?? '';
    for (const h of eligible) expect(lineOf(h.familyCardNumber)).toContain('completed');
    expect(lineOf(richer.familyCardNumber)).toContain('decile-above-maximum');

    // Resealed under key 2 (with the API and the workers running): a ring of key 2 alone reads everything.
    const { counts, problems } = await resealColumns(stack.records);
    expect(problems).toEqual([]);
    expect(counts['cohort_households.sealed']).toMatchObject({ resealed: 4, unreadable: 0 });
    expect(counts['cohorts.report']).toMatchObject({ resealed: 1, unreadable: 0 });
    expect(counts['exclusions.sealed']).toMatchObject({ resealed: 1, unreadable: 0 });
    expect(new Set(await sealedUnder())).toEqual(new Set(['k2']));
    expect(Object.values(counts).every((c) => c.unreadable === 0)).toBe(true);
    expect((await resealColumns(stack.records)).counts['cohort_households.sealed']).toMatchObject({ resealed: 0, alreadyCurrent: 4 });
    const onlyKey2 = openRecordsDb(stack.databaseUrl, new RecordCipher([k2]));
    try {
      const batch = await readHouseholdBatch(onlyKey2, cohortId, 0, 10);
      expect(batch.households.map((h) => h.household.familyCardNumber).sort()).toEqual([...eligible, richer].map((h) => h.familyCardNumber).sort());
      expect(await readCohortReport(onlyKey2, cohortId)).toMatchObject({ cohortId, valid: 4 });
      // Every run's record too: key 1 is needed by nothing the store holds.
      const runs = await onlyKey2.pool.query<{ sealed: string }>('SELECT sealed FROM runs WHERE rollout_id = $1', [rolloutId]);
      expect(runs.rows).toHaveLength(eligible.length);
      for (const run of runs.rows) expect(() => onlyKey2.cipher.open(run.sealed)).not.toThrow();
    } finally {
      await onlyKey2.pool.end();
    }
    expect((await stack.text(`/v1/rollouts/${rolloutId}/report.csv`)).text).toBe(csv.text);
  });
});

async function getRolloutStatus(stack: Stack, rolloutId: string): Promise<string | undefined> {
  const res = await stack.call('GET', `/v1/rollouts/${rolloutId}`, undefined, 'viewer');
  return res.body?.status as string | undefined;
}
