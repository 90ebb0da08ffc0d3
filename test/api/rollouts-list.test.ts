import { randomBytes } from 'node:crypto';
import { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ProgramId } from '../../domain/search-attributes';
import { encryptedDataConverter } from '../../temporal/payload-codec';
import { graduationPlanV1 } from '../../domain/plans/graduation';
import { eventually } from '../../dev/http';
import { startStack, type Stack } from '../../dev/stack';
import type { Caller } from '../../dev/stack-credentials';
import { rolloutPage } from '../../temporal/visibility/rollout-page';
import { cohortHousehold, importCohort } from '../helpers/cohorts';
import { uniqueRolloutId } from '../helpers/households';

describe('the list of rollouts', () => {
  let stack: Stack;
  // A program of this test's own, so rollouts of other test files never enter its listings.
  const programId = `list-${Date.now().toString(36)}`;
  const rolloutIds: string[] = [];
  const list = (query: string, as: Caller | 'anonymous' = 'viewer') => stack.call('GET', `/v1/rollouts?${query}`, undefined, as);
  const idsOf = (body: { rollouts: { rolloutId: string }[] }) => body.rollouts.map((r) => r.rolloutId);
  const fieldsOf = (body: { error: { fields: { field: string }[] } }) => body.error.fields.map((f) => f.field);

  beforeAll(async () => {
    stack = await startStack({ temporalAddress: inject('temporalAddress') });
    // Kemensos never answers, so both rollouts stay running while listed.
    await stack.sims.control.kemensos.setBehaviour({ silent: true });
    expect((await stack.call('POST', '/v1/programs', { ...graduationPlanV1, programId, version: 1 })).status).toBe(201);
    for (const label of ['older', 'newer']) {
      const rolloutId = uniqueRolloutId(label);
      const cohortId = await importCohort(stack, [cohortHousehold()]);
      const res = await stack.call('POST', '/v1/rollouts', { rolloutId, cohortId, programId, reason: 'list test' });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      rolloutIds.push(rolloutId);
    }
    await eventually(async () => ((await list(`program=${programId}`)).body.rollouts?.length === 2 ? true : undefined), 20_000, 'both rollouts listed');
  });
  afterAll(() => stack?.close());

  it('refuses a rollout id that is taken with 409 naming body.rolloutId', async () => {
    const cohortId = await importCohort(stack, [cohortHousehold()]);
    const res = await stack.call('POST', '/v1/rollouts', { rolloutId: rolloutIds[0], cohortId, programId });
    expect(res.status).toBe(409);
    expect(fieldsOf(res.body)).toEqual(['body.rolloutId']);
  });

  it('shows both rollouts, newest first, with program, version, who started them, their own and Temporal status', async () => {
    // Each writes 'running' once its one household's run has started.
    const res = await eventually(async () => {
      const r = await list(`program=${programId}`);
      return r.body.rollouts?.every((x: { status?: string }) => x.status === 'running') ? r : undefined;
    }, 20_000, 'both rollouts running');
    expect(res.status).toBe(200);
    expect(idsOf(res.body)).toEqual([rolloutIds[1], rolloutIds[0]]);
    expect(res.body.rollouts[1]).toEqual({
      rolloutId: rolloutIds[0],
      programId,
      version: 1,
      cohortId: expect.stringMatching(/^c-/),
      households: 1,
      startedBy: 'test-coordinator',
      startedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      status: 'running',
      temporalStatus: 'RUNNING',
    });
    expect(res.body.nextPageToken).toBeUndefined();
    expect(idsOf((await list(`program=${programId}&status=running`)).body)).toEqual([rolloutIds[1], rolloutIds[0]]);
    expect(idsOf((await list(`program=${programId}&status=completed`)).body)).toEqual([]);
    expect(idsOf((await list('program=graduation')).body)).not.toContain(rolloutIds[0]);
  });

  it('pages one at a time with the sealed token, which holds only for the same filters', async () => {
    const first = await list(`program=${programId}&pageSize=1`);
    expect(idsOf(first.body)).toEqual([rolloutIds[1]]);
    expect(first.body.nextPageToken).toEqual(expect.any(String));
    const token = encodeURIComponent(first.body.nextPageToken);
    const second = await list(`program=${programId}&pageSize=1&pageToken=${token}`);
    expect(second.status).toBe(200);
    expect(idsOf(second.body)).toEqual([rolloutIds[0]]);
    // Visibility may offer a token after a full last page; the page it leads to is empty and ends.
    if (second.body.nextPageToken) {
      const third = await list(`program=${programId}&pageSize=1&pageToken=${encodeURIComponent(second.body.nextPageToken)}`);
      expect(third.body).toEqual({ rollouts: [] });
    }
    // A token names a page of one listing: for another, it names none.
    const otherFilter = await list(`program=graduation&pageSize=1&pageToken=${token}`);
    expect(otherFilter.status).toBe(404);
    expect(otherFilter.body.error.code).toBe('page_not_found');
    expect(fieldsOf(otherFilter.body)).toEqual(['query.pageToken']);
  });

  it('answers a garbage page token or an unknown status with 400, a forged one with 404, naming the field', async () => {
    for (const [pageToken, status] of [
      ['garbage', 400],
      [`${'a'.repeat(20)}.${'A'.repeat(43)}`, 404],
    ] as const) {
      const res = await list(`pageToken=${pageToken}`);
      expect(res.status).toBe(status);
      expect(fieldsOf(res.body)).toEqual(['query.pageToken']);
    }
    const status = await list('status=paused');
    expect(status.status).toBe(400);
    expect(fieldsOf(status.body)).toEqual(['query.status']);
  });

  it('shows a paused rollout as paused (Temporal still says Running), and running again once resumed', async () => {
    const statusOf = async (rolloutId: string) => ((await list(`program=${programId}`)).body.rollouts as { rolloutId: string; status?: string; temporalStatus: string }[]).find((r) => r.rolloutId === rolloutId);
    expect((await stack.call('POST', `/v1/rollouts/${rolloutIds[1]}/pause`, { reason: 'checking the list' })).status).toBe(200);
    const paused = await eventually(async () => {
      const listed = await statusOf(rolloutIds[1]!);
      return listed?.status === 'paused' ? listed : undefined;
    }, 20_000, 'listed as paused');
    expect(paused.temporalStatus).toBe('RUNNING');
    expect((await stack.call('POST', `/v1/rollouts/${rolloutIds[1]}/resume`, { reason: 'list checked' })).status).toBe(200);
    await eventually(async () => ((await statusOf(rolloutIds[1]!))?.status === 'running' ? true : undefined), 20_000, 'listed as running again');
  });

  it('lists a cancelled rollout under status=completed, as cancelled, with when it ended', async () => {
    const cancel = await stack.call('POST', `/v1/rollouts/${rolloutIds[0]}/cancel`, { reason: 'list test is done with it' });
    expect(cancel.status).toBe(200);
    const ended = await eventually(async () => {
      const res = await list(`program=${programId}&status=completed`);
      return res.body.rollouts?.length ? res.body.rollouts : undefined;
    }, 60_000, 'the cancelled rollout ended');
    // Temporal says Completed; the rollout's own status says it was cancelled.
    expect(ended).toEqual([expect.objectContaining({ rolloutId: rolloutIds[0], status: 'cancelled', temporalStatus: 'COMPLETED', closedAt: expect.any(String) })]);
    expect(idsOf((await list(`program=${programId}&status=running`)).body)).toEqual([rolloutIds[1]]);
  });

  it('lists a rollout started without start-time search attributes and memo by its id alone', async () => {
    const rolloutId = uniqueRolloutId('bare');
    // No worker polls this queue: the execution stays as it was started, like a rollout from before the attributes.
    const handle = await stack.client.workflow.start('rollout', { workflowId: `rollout:${rolloutId}`, taskQueue: `nowhere-${rolloutId}`, args: [] });
    try {
      const page = await eventually(async () => {
        const p = await rolloutPage(stack.client, 'default', `WorkflowId = 'rollout:${rolloutId}'`, 10);
        return p.rollouts.length ? p : undefined;
      }, 20_000, 'the bare rollout listed');
      expect(page.rollouts).toEqual([{ rolloutId, temporalStatus: 'RUNNING' }]);
    } finally {
      await handle.terminate('test done');
    }
  });

  it('lists a rollout whose memo was sealed under a key its ring lacks by its id alone, and the page still answers', async () => {
    const rolloutId = uniqueRolloutId('foreign');
    const foreignProgram = `${programId}-foreign`;
    // Started through a client with a key this stack does not hold (a retired key, another deployment on the namespace).
    const foreign = new Client({ connection: stack.client.connection, dataConverter: encryptedDataConverter([{ id: 'retired', key: randomBytes(32) }]) });
    const handle = await foreign.workflow.start('rollout', {
      workflowId: `rollout:${rolloutId}`,
      taskQueue: `nowhere-${rolloutId}`,
      args: [],
      memo: { cohortId: 'c-00000000000000000000', startedBy: 'someone' },
      typedSearchAttributes: [{ key: ProgramId, value: foreignProgram }],
    });
    try {
      const body = await eventually(async () => {
        const res = await list(`program=${foreignProgram}`);
        expect(res.status).toBe(200);
        return res.body.rollouts?.length ? res.body : undefined;
      }, 20_000, 'the foreign rollout listed');
      expect(body.rollouts).toEqual([expect.objectContaining({ rolloutId, programId: foreignProgram, temporalStatus: 'RUNNING' })]);
      expect(body.rollouts[0].startedBy).toBeUndefined();
    } finally {
      await handle.terminate('test done');
    }
  });

  it.each<[Caller | 'anonymous', number]>([
    ['viewer', 200],
    ['coordinator', 200],
    ['manager', 200],
    ['kemensos', 403],
    ['anonymous', 401],
  ])('as %s answers %i', async (caller, status) => {
    expect((await list(`program=${programId}&pageSize=1`, caller)).status).toBe(status);
  });
});
