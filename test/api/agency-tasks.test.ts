import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eventually } from '../../dev/http';
import { TaskRequestSchema } from '../../domain/task-request';
import { makeHousehold, uniqueRolloutId } from '../helpers/households';
import { startRun, stepIs, waitForState } from '../helpers/runs';
import { startStack, type Stack } from '../../dev/stack';

describe("an agency's view of its open tasks", () => {
  let stack: Stack;
  let taskIds: string[];
  const household = makeHousehold({ headName: 'Wahyuni Catch Up', phone: '+6281234567890', email: 'wahyuni@example.org' });

  beforeAll(async () => {
    stack = await startStack({ temporalAddress: inject('temporalAddress') });
    await stack.sims.control.kemensos.setBehaviour({ silent: true });
    const rolloutId = uniqueRolloutId('tasks');
    const runIds = [await startRun(stack, rolloutId, household), await startRun(stack, rolloutId, makeHousehold())];
    taskIds = [];
    for (const id of runIds) taskIds.push((await waitForState(stack, id, stepIs('aid', 'open'))).steps[0]!.taskId!);
  });
  afterAll(() => stack?.close());

  it('lists the open tasks of a ministry, to its own credential', async () => {
    const tasks = await eventually(async () => {
      const res = await stack.call('GET', '/v1/agencies/kemensos/tasks?status=open&pageSize=1000', undefined, 'kemensos');
      const mine = (res.body.tasks as { taskId: string }[]).filter((t) => taskIds.includes(t.taskId));
      return mine.length === 2 ? mine : undefined;
    });
    expect(tasks).toEqual(expect.arrayContaining(taskIds.map((taskId) => expect.objectContaining({ taskId, step: 'aid', stuck: false }))));
  });

  it('pages the open tasks soonest deadline first, from the records store, with a token bound to its listing', async () => {
    const mine = async (query: string) => stack.call('GET', `/v1/agencies/kemensos/tasks?${query}`, undefined, 'kemensos');
    const seen: { taskId: string; deadline?: string }[] = [];
    let token: string | undefined;
    await eventually(async () => ((await mine('pageSize=1000')).body.tasks as { taskId: string }[]).filter((t) => taskIds.includes(t.taskId)).length === 2 || undefined);
    do {
      const res = await mine(`pageSize=1${token ? `&pageToken=${token}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.tasks).toHaveLength(1);
      seen.push(...(res.body.tasks as { taskId: string; deadline?: string }[]));
      token = res.body.nextPageToken as string | undefined;
    } while (token && seen.length < 1000);
    // Each task once, in deadline order, every one open on this stack among them.
    expect(new Set(seen.map((t) => t.taskId)).size).toBe(seen.length);
    expect(seen.map((t) => t.taskId)).toEqual(expect.arrayContaining(taskIds));
    const deadlines = seen.map((t) => t.deadline ?? '9999');
    expect(deadlines).toEqual([...deadlines].sort());

    // A token names a page of this agency's listing only: with another one (a staff member reading kemnaker's), not found.
    const first = await mine('pageSize=1');
    const other = await stack.call('GET', `/v1/agencies/kemnaker/tasks?pageSize=1&pageToken=${first.body.nextPageToken as string}`, undefined, 'manager');
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe('page_not_found');
  });

  it("gives a ministry the full request of one of its tasks, to catch up, and hides other agencies' tasks", async () => {
    const res = await stack.call('GET', `/v1/agencies/kemensos/tasks/${encodeURIComponent(taskIds[0]!)}`, undefined, 'kemensos');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ taskId: taskIds[0], agency: 'kemensos', kind: 'aid-disbursement', household: { headNik: household.headNik, headName: household.headName, phone: household.phone } });
    // Exactly as documented (the household's personal data included): nothing undocumented, nothing missing.
    expect(TaskRequestSchema.parse(res.body)).toStrictEqual(res.body);

    expect((await stack.call('GET', '/v1/agencies/kemensos/tasks', undefined, 'kemnaker')).status).toBe(403);
    expect((await stack.call('GET', `/v1/agencies/kemensos/tasks/${encodeURIComponent(taskIds[0]!)}`, undefined, 'kemnaker')).status).toBe(403);
    expect((await stack.call('GET', `/v1/agencies/kemnaker/tasks/${encodeURIComponent(taskIds[0]!)}`, undefined, 'kemnaker')).status).toBe(404);
    expect((await stack.call('GET', `/v1/agencies/kemensos/tasks/${encodeURIComponent(taskIds[0]!.replace(/:1$/, ':9'))}`, undefined, 'kemensos')).status).toBe(404);
    expect((await stack.call('GET', '/v1/agencies/kemensos/tasks?status=closed', undefined, 'kemensos')).status).toBe(400);
  });
});
