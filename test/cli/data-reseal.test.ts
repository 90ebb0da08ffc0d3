import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eventually } from '../../dev/http';
import { rolloutWorkflowId } from '../../domain/rollout';
import * as sa from '../../domain/search-attributes';
import { keyIdOf, RecordCipher } from '../../lib/record-cipher';
import { encryptedDataConverter } from '../../temporal/payload-codec';
import { registerSearchAttributes } from '../../temporal/register-search-attributes';
import { cohortHousehold } from '../helpers/cohorts';

const run = promisify(execFile);
const k1 = { id: 'k1', key: randomBytes(32) };
const k2 = { id: 'k2', key: randomBytes(32) };
const ringText = (...keys: { id: string; key: Uint8Array }[]) => keys.map((k) => `${k.id}:${Buffer.from(k.key).toString('base64')}`).join(',');

/** One file of the fixture: what it holds (each record's text) and how it is written. */
interface Fixture {
  file: string;
  texts: string[];
  layout: 'lines' | 'whole';
}

describe('sinergi data reseal', () => {
  // A namespace of its own: the command reads every running rollout in it, and other test files' rollouts are sealed under other keys.
  const namespace = `reseal-${randomUUID().slice(0, 8)}`;
  let connection: Connection;
  let dataDir: string;
  const rollouts: WorkflowHandle[] = [];
  const households = Array.from({ length: 8 }, () => cohortHousehold());
  const secrets = households.flatMap((h) => [h.headNik, h.headName]);
  const json = (h: object) => JSON.stringify(h);
  const underK1 = new RecordCipher([k1]);
  const underK2 = new RecordCipher([k2]);
  const fixtures: Record<string, Fixture> = {};
  const newCohortId = () => `c-${randomBytes(10).toString('hex')}`;
  const [plainCohort, key1Cohort, startingCohort] = [newCohortId(), newCohortId(), newCohortId()];
  const untouched: Record<string, string> = {};

  const sinergi = async (keys: string, root = dataDir) => {
    const cli = path.resolve(__dirname, '..', '..', 'cli', 'sinergi.ts');
    const tsx = path.resolve(__dirname, '..', '..', 'node_modules', '.bin', 'tsx');
    const env = { ...process.env, NODE_ENV: 'test', DATA_DIR: root, SINERGI_PAYLOAD_KEYS: keys, TEMPORAL_ADDRESS: inject('temporalAddress'), TEMPORAL_NAMESPACE: namespace };
    return run(tsx, [cli, '--json', 'data', 'reseal'], { env, timeout: 120_000 });
  };
  const write = async (name: string, layout: Fixture['layout'], records: { text: string; as: RecordCipher | 'plain' }[]) => {
    const file = path.join(dataDir, name);
    await mkdir(path.dirname(file), { recursive: true });
    const sealed = records.map((r) => (r.as === 'plain' ? r.text : r.as.seal(r.text)));
    await writeFile(file, layout === 'whole' ? sealed[0]! : sealed.map((l) => `${l}\n`).join(''));
    fixtures[name] = { file, texts: records.map((r) => r.text), layout };
  };
  const recordsOf = async (file: string, layout: Fixture['layout']) => {
    const text = (await readFile(file, 'utf8')).trim();
    return layout === 'whole' ? [text] : text.split('\n').filter(Boolean);
  };
  // A rollout as the API starts it, but on a queue no worker polls: it stays in the status it was given.
  const rolloutOf = async (cohortId: string, status: string) => {
    // Started after the rotation: a running rollout's memo under a dropped key would stop the command.
    const client = new Client({ connection, namespace, dataConverter: encryptedDataConverter([k2]) });
    const rolloutId = `reseal-${status}-${randomUUID().slice(0, 8)}`;
    // A namespace just registered may take a few seconds to take starts.
    const start = () => client.workflow.start('rollout', {
      workflowId: rolloutWorkflowId(rolloutId),
      taskQueue: `nowhere-${rolloutId}`,
      args: [],
      memo: { cohortId },
      typedSearchAttributes: [
        { key: sa.RolloutId, value: rolloutId },
        { key: sa.RolloutStatus, value: status },
      ],
    });
    rollouts.push(await eventually(() => start().catch(() => undefined), 60_000, 'a rollout started in the new namespace'));
  };

  beforeAll(async () => {
    connection = await Connection.connect({ address: inject('temporalAddress') });
    await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('1 day') });
    await eventually(async () => ((await registerSearchAttributes(connection, namespace).catch(() => undefined)) ? true : undefined), 60_000, 'search attributes in the new namespace');
    dataDir = await mkdtemp(path.join(tmpdir(), 'sinergi-reseal-'));
    const [a, b, c, d, e, f, g, h] = households.map(json);
    // From before encryption: plain households, a plain pretty-printed report.
    await write(`cohorts/${plainCohort}/households.ndjson`, 'lines', [a!, b!, c!].map((text) => ({ text, as: 'plain' as const })));
    await write(`cohorts/${plainCohort}/report.json`, 'whole', [{ text: JSON.stringify({ cohortId: plainCohort, rows: 3, invalidRows: [] }, null, 2), as: 'plain' }]);
    // Under key 1, one line already under key 2.
    await write(`cohorts/${key1Cohort}/households.ndjson`, 'lines', [{ text: d!, as: underK1 }, { text: e!, as: underK1 }, { text: f!, as: underK2 }]);
    await write(`cohorts/${key1Cohort}/report.json`, 'whole', [{ text: json({ cohortId: key1Cohort, rows: 3 }), as: underK1 }]);
    // A cohort a rollout is still starting runs from: read by byte offset, left as it is.
    await write(`cohorts/${startingCohort}/households.ndjson`, 'lines', [{ text: g!, as: underK1 }]);
    await write(`cohorts/${startingCohort}/report.json`, 'whole', [{ text: json({ cohortId: startingCohort, rows: 1 }), as: underK1 }]);
    await write('rollouts/r-1/excluded-000000000000.ndjson', 'lines', [{ text: json({ householdId: households[7]!.familyCardNumber, reason: 'decile-above-maximum' }), as: underK1 }]);
    await write('rollouts/r-1/excluded-000000004096.ndjson', 'lines', []);
    await write('audit/personal-data.ndjson', 'lines', [{ text: json({ audit: 'payloads-decoded', at: '2026-11-30T00:00:00Z' }), as: underK1 }, { text: h!, as: 'plain' }]);
    // Not sealed records: the Temporal dev server's database, an import's staging directory, a temporary file.
    for (const [name, content] of [
      ['temporal.db', randomBytes(64).toString('base64')],
      ['cohorts/.import-123/households.ndjson', `${underK1.seal(a!)}\n`],
      ['rollouts/r-1/excluded-000000000000.ndjson.77.tmp', `${underK1.seal(b!)}\n`],
    ] as const) {
      await mkdir(path.dirname(path.join(dataDir, name)), { recursive: true });
      await writeFile(path.join(dataDir, name), content);
      untouched[name] = content;
    }
    untouched[`cohorts/${startingCohort}/households.ndjson`] = await readFile(fixtures[`cohorts/${startingCohort}/households.ndjson`]!.file, 'utf8');
    await rolloutOf(startingCohort, 'starting');
    await rolloutOf(key1Cohort, 'running');
    await eventually(async () => ((await connection.workflowService.countWorkflowExecutions({ namespace, query: `WorkflowType = 'rollout' AND ExecutionStatus = 'Running'` })).count?.toString() === '2' ? true : undefined), 30_000, 'the rollouts visible');
  });
  afterAll(async () => {
    for (const handle of rollouts) await handle.terminate('test done').catch(() => undefined);
    await connection?.operatorService.deleteNamespace({ namespace }).catch(() => undefined);
    await connection?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps a record under a key the ring lacks as it was, naming the file, the record and the key id, and exits 1', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'sinergi-reseal-'));
    try {
      const file = path.join(root, 'cohorts', key1Cohort, 'households.ndjson');
      await mkdir(path.dirname(file), { recursive: true });
      const old = underK1.seal(json(households[0]!));
      await writeFile(file, `${json(households[1]!)}\n${old}\n`);
      const failed = (await sinergi(ringText(k2), root).then(
        () => undefined,
        (err: unknown) => err,
      )) as { code: number; stdout: string; stderr: string } | undefined;
      expect(failed?.code).toBe(1);
      expect(JSON.parse(failed!.stdout).counts['cohort households']).toEqual({ files: 1, skipped: 0, resealed: 1, alreadyCurrent: 0, unreadable: 1 });
      expect(failed?.stderr).toContain(`cohorts/${key1Cohort}/households.ndjson: record 2: record encrypted with unknown key id "k1"`);
      for (const secret of [...secrets, Buffer.from(k2.key).toString('base64')]) expect(failed!.stdout + failed!.stderr).not.toContain(secret);
      const [plainNow, oldNow] = (await readFile(file, 'utf8')).trim().split('\n');
      expect(underK2.open(plainNow!)).toBe(json(households[1]!));
      expect(oldNow).toBe(old);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('reseals plain and key-1 records under key 2 with their contents unchanged, skips a cohort still being started, and a second run reseals nothing', async () => {
    const first = await sinergi(ringText(k2, k1));
    for (const secret of secrets) expect(first.stdout + first.stderr).not.toContain(secret);
    expect(JSON.parse(first.stdout)).toEqual({
      currentKeyId: 'k2',
      counts: {
        'cohort households': { files: 3, skipped: 1, resealed: 5, alreadyCurrent: 1, unreadable: 0 },
        'cohort report': { files: 3, skipped: 0, resealed: 3, alreadyCurrent: 0, unreadable: 0 },
        'rollout exclusions': { files: 2, skipped: 0, resealed: 1, alreadyCurrent: 0, unreadable: 0 },
        'audit log': { files: 1, skipped: 0, resealed: 2, alreadyCurrent: 0, unreadable: 0 },
      },
    });

    // Key 1 can go: everything but the skipped cohort opens with key 2 alone, to the same text.
    for (const [name, { file, texts, layout }] of Object.entries(fixtures)) {
      if (name === `cohorts/${startingCohort}/households.ndjson`) continue;
      const records = texts.length ? await recordsOf(file, layout) : [];
      expect(records.map(keyIdOf), name).toEqual(texts.map(() => 'k2'));
      expect(records.map((r) => underK2.open(r)), name).toEqual(texts);
    }
    for (const [name, content] of Object.entries(untouched)) expect(await readFile(path.join(dataDir, name), 'utf8'), name).toBe(content);

    const modified = await Promise.all(Object.values(fixtures).map(async (f) => (await stat(f.file)).mtimeMs));
    const second = await sinergi(ringText(k2, k1));
    expect(JSON.parse(second.stdout).counts).toEqual({
      'cohort households': { files: 3, skipped: 1, resealed: 0, alreadyCurrent: 6, unreadable: 0 },
      'cohort report': { files: 3, skipped: 0, resealed: 0, alreadyCurrent: 3, unreadable: 0 },
      'rollout exclusions': { files: 2, skipped: 0, resealed: 0, alreadyCurrent: 1, unreadable: 0 },
      'audit log': { files: 1, skipped: 0, resealed: 0, alreadyCurrent: 2, unreadable: 0 },
    });
    expect(await Promise.all(Object.values(fixtures).map(async (f) => (await stat(f.file)).mtimeMs))).toEqual(modified);
  });

  it('reseals the cohort once its rollout has started every run', async () => {
    // Terminated here; a rollout that started all its runs says so in RolloutStatus ('running') and is not waited for.
    await rollouts[0]!.terminate('started all its runs');
    await eventually(async () => ((await connection.workflowService.countWorkflowExecutions({ namespace, query: `WorkflowType = 'rollout' AND ExecutionStatus = 'Running'` })).count?.toString() === '1' ? true : undefined), 30_000, 'the starting rollout gone');
    const { stdout } = await sinergi(ringText(k2, k1));
    expect(JSON.parse(stdout).counts['cohort households']).toEqual({ files: 3, skipped: 0, resealed: 1, alreadyCurrent: 6, unreadable: 0 });
    const { file, texts } = fixtures[`cohorts/${startingCohort}/households.ndjson`]!;
    expect((await recordsOf(file, 'lines')).map((r) => underK2.open(r))).toEqual(texts);
  });
});
