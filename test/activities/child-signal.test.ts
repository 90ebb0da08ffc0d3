import { getEventListeners } from 'node:events';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { withChildSignal } from '../../activities/child-signal';

/** A rollout batch's hundreds of Temporal calls under its activity's signal leave that signal as they found it. */
describe('a child signal for calls under an activity', () => {
  let connection: Connection;
  let client: Client;
  beforeAll(async () => {
    connection = await Connection.connect({ address: inject('temporalAddress') });
    client = new Client({ connection });
  });
  afterAll(() => connection?.close());

  const describeMissing = (id: string) => client.workflow.getHandle(id).describe().then(() => 'found', () => 'not found');

  it('keeps the parent at no listener however many calls ran, where the signal used directly keeps one per call', async () => {
    const parent = new AbortController();
    for (let round = 0; round < 4; round++) {
      const answers = await withChildSignal(parent.signal, 64, (signal) =>
        client.withAbortSignal(signal, () => Promise.all(Array.from({ length: 8 }, (_, i) => describeMissing(`child-signal-${round}-${i}`)))),
      );
      expect(answers).toEqual(Array(8).fill('not found'));
    }
    expect(getEventListeners(parent.signal, 'abort')).toHaveLength(0);

    // Why it exists: the client leaves its listener on the signal it was given.
    const direct = new AbortController();
    await client.withAbortSignal(direct.signal, () => Promise.all(Array.from({ length: 8 }, (_, i) => describeMissing(`child-signal-direct-${i}`))));
    expect(getEventListeners(direct.signal, 'abort').length).toBeGreaterThan(0);
  });

  it('aborts the calls under way when the parent aborts, with its reason', async () => {
    const parent = new AbortController();
    const seen = withChildSignal(parent.signal, 8, (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error))));
    parent.abort(new Error('worker shutting down'));
    await expect(seen).rejects.toThrow('worker shutting down');
    const already = withChildSignal(parent.signal, 8, async (signal) => signal.aborted);
    await expect(already).resolves.toBe(true);
    expect(getEventListeners(parent.signal, 'abort')).toHaveLength(0);
  });
});
