import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAdapters } from '../../activities/adapters';
import type { AgencyEndpoints } from '../../config/config';
import { agencies, type Agency } from '../../domain/agency';
import { graduationPlan } from '../../domain/plans/graduation';
import { startSimulators } from '../../simulators/start-simulators';
import { taskRequest } from '../helpers/task-requests';
import { testEndpoints, testWebhookSecrets } from '../helpers/test-credentials';

type Simulators = Awaited<ReturnType<typeof startSimulators>>;

const credentials: AgencyEndpoints = testEndpoints();

const requestFor = (agency: Agency) => taskRequest(graduationPlan.steps.find((s) => s.agency === agency)!, 'adapters');

/** Each adapter against its real simulator: each agency's own API shape, over real HTTP. */
describe.each(agencies)('%s adapter and simulator', (agency) => {
  let sims: Simulators;
  let endpoints: AgencyEndpoints;
  const signal = new AbortController().signal;
  const failureOf = (p: Promise<unknown>) =>
    p.then(
      () => undefined,
      (err: unknown) => (err instanceof ApplicationFailure ? { type: err.type, nonRetryable: err.nonRetryable } : { type: String(err), nonRetryable: undefined }),
    );

  beforeAll(async () => {
    sims = await startSimulators({
      host: '127.0.0.1',
      ports: { kemensos: 0, kemnaker: 0, kemenkop: 0, pemda: 0 },
      webhookBaseUrl: 'http://127.0.0.1:9', // nothing listens: reports are not what this file tests
      endpoints: credentials,
      webhookSecrets: testWebhookSecrets(),
      delayMs: 60_000,
      logLevel: 'silent',
    });
    endpoints = structuredClone(credentials);
    for (const a of agencies) endpoints[a].url = sims.urls[a];
  });
  beforeEach(() => sims.control[agency].setBehaviour({ failRequests: 0, rejectHouseholds: {} }));
  afterAll(() => sims?.close());

  it('opens a task once, however often the request is repeated', async () => {
    const adapter = createAdapters(endpoints)[agency];
    const request = requestFor(agency);
    const first = await adapter.openTask(request, signal);
    const again = await adapter.openTask(request, signal);
    expect(again.agencyReference).toBe(first.agencyReference);
    const task = sims.control[agency].tasks().find((t) => t.taskId === request.taskId);
    expect(task).toMatchObject({ requests: 2, opened: 1, householdId: request.household.familyCardNumber });
  });

  it('retries through 5xx (retryable AgencyUnavailable) and then opens the task once', async () => {
    const adapter = createAdapters(endpoints)[agency];
    const request = requestFor(agency);
    sims.control[agency].setBehaviour({ failRequests: 2 });
    expect(await failureOf(adapter.openTask(request, signal))).toEqual({ type: 'AgencyUnavailable', nonRetryable: false });
    expect(await failureOf(adapter.openTask(request, signal))).toEqual({ type: 'AgencyUnavailable', nonRetryable: false });
    await adapter.openTask(request, signal);
    expect(sims.control[agency].tasks().find((t) => t.taskId === request.taskId)).toMatchObject({ requests: 3, opened: 1 });
  });

  it("turns the agency's refusal into a final AgencyRejected carrying its reason", async () => {
    const request = requestFor(agency);
    sims.control[agency].setBehaviour({ rejectHouseholds: { [request.household.familyCardNumber]: { mode: 'at-request', times: 0 } } });
    const err = await createAdapters(endpoints)[agency].openTask(request, signal).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ type: 'AgencyRejected', nonRetryable: true, message: 'household not eligible in the ministry register' });
    expect(sims.control[agency].tasks().some((t) => t.taskId === request.taskId)).toBe(false);
  });

  it('is refused with wrong credentials (retryable: credentials can be fixed) and names no one in the error', async () => {
    const wrong = structuredClone(endpoints);
    wrong.kemensos.apiKey = 'x';
    wrong.kemnaker.token = 'x';
    wrong.kemenkop.clientSecret = 'x';
    wrong.pemda.password = 'x';
    const request = requestFor(agency);
    const err = await createAdapters(wrong)[agency].openTask(request, signal).catch((e: unknown) => e);
    expect(err).toMatchObject({ type: 'AgencyUnavailable', nonRetryable: false, message: `${agency} answered 401` });
    expect(sims.control[agency].tasks().some((t) => t.taskId === request.taskId)).toBe(false);
  });

  it('is refused when the request is not signed with the secret the agency knows', async () => {
    const unsigned = structuredClone(endpoints);
    unsigned[agency].requestSecret = 'whsec_b3RoZXItc2VjcmV0LW90aGVyLXNlY3JldC0xMjM=';
    const request = requestFor(agency);
    const err = await createAdapters(unsigned)[agency].openTask(request, signal).catch((e: unknown) => e);
    expect(err).toMatchObject({ type: 'AgencyUnavailable', message: `${agency} answered 401` });
    expect(sims.control[agency].tasks().some((t) => t.taskId === request.taskId)).toBe(false);
  });

  it('is unreachable when the agency is down (retryable)', async () => {
    const down = structuredClone(endpoints);
    down[agency].url = 'http://127.0.0.1:9';
    expect(await failureOf(createAdapters(down)[agency].openTask(requestFor(agency), signal))).toEqual({ type: 'AgencyUnavailable', nonRetryable: false });
  });
});
