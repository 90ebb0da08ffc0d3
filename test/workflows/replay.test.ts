import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { developmentPayloadKey } from '../../config/config';
import { encryptedDataConverter } from '../../temporal/payload-codec';
import { workflowBundle } from '../../worker/workflow-bundle';

const dir = path.resolve(__dirname, '..', 'histories');
const histories = readdirSync(dir).filter((f) => f.endsWith('.json'));

/**
 * Recorded histories must replay on today's workflow code: a change that breaks them needs patching.
 * Those recorded since payloads are encrypted carry the stack's (development) key; older ones pass through.
 */
describe('replay of recorded histories', () => {
  it('has recorded histories to replay', () => {
    expect(histories.length).toBeGreaterThan(0);
  });

  it.each(histories)('replays %s without nondeterminism', async (file) => {
    const history = historyFromJSON(JSON.parse(readFileSync(path.join(dir, file), 'utf8')));
    await expect(
      Worker.runReplayHistory({ workflowBundle: await workflowBundle(), dataConverter: encryptedDataConverter([developmentPayloadKey]) }, history, file.replace(/\.json$/, '')),
    ).resolves.toBeUndefined();
  });
});
