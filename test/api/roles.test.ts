import { decodeArrayFromPayloads } from '@temporalio/common/lib/internal-non-workflow';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { makeHousehold, uniqueRolloutId } from '../helpers/households';
import { cohortHousehold, importCohort } from '../helpers/cohorts';
import { httpJson } from '../../dev/http';
import { startRun } from '../helpers/runs';
import { startStack, type Stack } from '../../dev/stack';
import type { Caller } from '../../dev/stack-credentials';

type Endpoint = { name: string; method: string; path: () => string; body?: () => unknown; allowed: Caller[] };

const staff: Caller[] = ['viewer', 'coordinator', 'manager'];

/** Each role against each endpoint: allowed ones get past access control, the others get 403, no key 401. */
describe('who may do what', () => {
  let stack: Stack;
  let runId: string;
  let cohortId: string;
  const endpoints: Endpoint[] = [
    { name: 'start a run', method: 'POST', path: () => '/v1/runs', body: () => ({ rolloutId: uniqueRolloutId('roles'), household: makeHousehold() }), allowed: ['coordinator', 'manager'] },
    { name: 'list runs', method: 'GET', path: () => '/v1/runs?pageSize=1', allowed: staff },
    { name: 'read a run', method: 'GET', path: () => `/v1/runs/${encodeURIComponent(runId)}`, allowed: staff },
    { name: "list kemensos' tasks", method: 'GET', path: () => '/v1/agencies/kemensos/tasks?pageSize=1', allowed: [...staff, 'kemensos'] },
    { name: 'extend a step', method: 'POST', path: () => `/v1/runs/${encodeURIComponent(runId)}/steps/aid/extend`, body: () => ({ reason: 'roles test', extendBy: 'PT1H' }), allowed: ['manager'] },
    { name: "read a kemensos task", method: 'GET', path: () => `/v1/agencies/kemensos/tasks/${encodeURIComponent(`${runId}:aid:1`)}`, allowed: [...staff, 'kemensos'] },
    { name: 'list programs', method: 'GET', path: () => '/v1/programs', allowed: staff },
    { name: "read a cohort's report", method: 'GET', path: () => `/v1/cohorts/${cohortId}`, allowed: staff },
    { name: 'list rollouts', method: 'GET', path: () => '/v1/rollouts?pageSize=1', allowed: staff },
    {
      name: 'preview a bulk operation',
      method: 'POST',
      path: () => '/v1/bulk-operations/preview',
      body: () => ({ filter: { step: 'aid', region: '35.09' }, op: 'extend', reason: 'roles test', extendBy: 'PT1H' }),
      allowed: ['manager'],
    },
    { name: 'preview a rollout', method: 'POST', path: () => '/v1/rollouts/preview', body: () => ({ cohortId, programId: 'graduation' }), allowed: ['coordinator', 'manager'] },
  ];
  const callers: Caller[] = ['viewer', 'coordinator', 'manager', 'kemensos', 'kemnaker', 'kemenkop', 'pemda'];

  beforeAll(async () => {
    stack = await startStack({ temporalAddress: inject('temporalAddress') });
    await stack.sims.control.kemensos.setBehaviour({ silent: true });
    runId = await startRun(stack, uniqueRolloutId('roles'), makeHousehold());
    cohortId = await importCohort(stack, [cohortHousehold()]);
  });
  afterAll(() => stack?.close());

  const cases = endpoints.flatMap((e) => callers.map((caller) => [e.name, caller, e.allowed.includes(caller), e] as const));
  it.each(cases)('%s as %s: allowed=%s', async (_name, caller, allowed, endpoint) => {
    const res = await stack.call(endpoint.method, endpoint.path(), endpoint.body?.(), caller);
    if (allowed) expect([200, 201]).toContain(res.status);
    else {
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
  });

  it.each(endpoints)('$name without a key is 401, with an unknown key 401', async (endpoint) => {
    const none = await stack.call(endpoint.method, endpoint.path(), endpoint.body?.(), 'anonymous');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const unknown = await httpJson(endpoint.method, `${stack.apiUrl}${endpoint.path()}`, endpoint.body?.(), { authorization: 'Bearer not-a-key' });
    expect(unknown.status).toBe(401);
  });

  it('records who started a run in its history', async () => {
    const res = await stack.call('POST', '/v1/runs', { rolloutId: uniqueRolloutId('actor'), household: makeHousehold() }, 'manager');
    const history = await stack.client.workflow.getHandle(res.body.runId).fetchHistory();
    const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
    // Encrypted in the history: read through the stack's own data converter.
    const [input] = (await decodeArrayFromPayloads(stack.client.options.loadedDataConverter, started!.input!.payloads)) as [{ startedBy: string }];
    expect(input.startedBy).toBe('test-manager');
  });

  it('leaves health, readiness and the OpenAPI document public', async () => {
    for (const path of ['/healthz', '/readyz', '/v1/openapi.json']) expect((await stack.call('GET', path, undefined, 'anonymous')).status).toBe(200);
  });
});
