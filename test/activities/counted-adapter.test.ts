import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { countedAdapter } from '../../activities/adapters/counted-adapter';
import type { AgencyAdapter } from '../../activities/adapters/agency-adapter';
import { FailureType } from '../../domain/failure-types';
import { graduationPlanV1 } from '../../domain/plans/graduation';
import { createWorkerMetrics } from '../../lib/metrics';
import { sampleValue, samplesOf } from '../helpers/prometheus-text';
import { taskRequest } from '../helpers/task-requests';

const request = taskRequest(graduationPlanV1.steps.find((s) => s.agency === 'kemenkop')!, 'counted');

/** An adapter whose openTask answers what `outcomes` says, one call after another. */
function scriptedAdapter(outcomes: (Error | 'ok')[]): AgencyAdapter {
  return {
    agency: 'kemenkop',
    cancelTask: async () => undefined,
    async openTask() {
      const next = outcomes.shift();
      if (next instanceof Error) throw next;
      return { agencyReference: 'KOP-1' };
    },
  };
}

describe('an adapter counted for metrics', () => {
  it('counts a task opened on success only, and each failed attempt by its type, never by its message', async () => {
    const metrics = createWorkerMetrics();
    const adapter = countedAdapter(
      scriptedAdapter([
        ApplicationFailure.retryable('kemenkop answered 503', FailureType.AgencyUnavailable),
        ApplicationFailure.retryable('kemenkop answered 503', FailureType.AgencyUnavailable),
        ApplicationFailure.nonRetryable(`refused ${request.household.headName}`, FailureType.AgencyRejected),
        ApplicationFailure.nonRetryable('malformed', FailureType.AgencyBadRequest),
        new TypeError('a bug'),
        'ok',
      ]),
      'kemenkop',
      metrics,
    );
    const signal = new AbortController().signal;
    for (let i = 0; i < 5; i++) await expect(adapter.openTask(request, signal)).rejects.toThrow();
    await expect(adapter.openTask(request, signal)).resolves.toEqual({ agencyReference: 'KOP-1' });
    const text = await metrics.registry.metrics();
    expect(sampleValue(text, 'sinergi_tasks_opened_total', { agency: 'kemenkop' })).toBe(1);
    const failures = (reason: string) => sampleValue(text, 'sinergi_task_open_failures_total', { agency: 'kemenkop', reason });
    expect([failures('unavailable'), failures('rejected'), failures('bad_request'), failures('error')]).toEqual([2, 1, 1, 1]);
    expect(text).not.toContain(request.household.headName);
  });

  it('counts an attempt cut short by cancellation as cancelled', async () => {
    const metrics = createWorkerMetrics();
    const cancelled = new AbortController();
    cancelled.abort();
    const adapter = countedAdapter(scriptedAdapter([new Error('aborted')]), 'kemenkop', metrics);
    await expect(adapter.openTask(request, cancelled.signal)).rejects.toThrow('aborted');
    const text = await metrics.registry.metrics();
    expect(samplesOf(text, 'sinergi_task_open_failures_total')).toEqual(['sinergi_task_open_failures_total{agency="kemenkop",reason="cancelled"} 1']);
    expect(samplesOf(text, 'sinergi_tasks_opened_total')).toEqual([]);
  });
});
