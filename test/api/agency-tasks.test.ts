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
