import { describe, expect, it } from 'vitest';
import type { RejectionRule } from '../../domain/program-plan';
import type { AttemptState } from '../../domain/run-state';
import { afterAttempt, failedWithoutDecision, type AfterAttempt } from '../../domain/step-end';

const stop: RejectionRule = { action: 'stop' };
const skip: RejectionRule = { action: 'skip' };
const retryThenStop: RejectionRule = { action: 'retry', maxRetries: 2, then: 'stop' };
const retryThenSkip: RejectionRule = { action: 'retry', maxRetries: 2, then: 'skip' };
const another: AfterAttempt = { next: 'attempt' };
const decision: AfterAttempt = { next: 'decision' };
const ended = (status: string, course: string) => ({ next: 'step-ended', status, course });

type Row = [string, Pick<AttemptState, 'outcome' | 'supersededBy'>, RejectionRule, number, AfterAttempt | ReturnType<typeof ended>];

describe('afterAttempt: the end-of-step table', () => {
  it.each<Row>([
    ['retried by a manager', { supersededBy: 'retry' }, stop, 1, another],
    ['reassigned by a manager', { supersededBy: 'reassign' }, stop, 1, another],
    ['retried after it failed', { outcome: 'failed', supersededBy: 'retry' }, stop, 1, another],
    ['skipped by a manager', { supersededBy: 'skip' }, stop, 1, ended('skipped', 'continue')],
    ['cancelled by a manager', { supersededBy: 'cancel' }, skip, 1, ended('cancelled', 'cancel')],
    ['cancelled after it failed', { outcome: 'failed', supersededBy: 'cancel' }, skip, 1, ended('cancelled', 'cancel')],
    ['completed', { outcome: 'completed' }, stop, 1, ended('completed', 'continue')],
    ['failed, no decision yet', { outcome: 'failed' }, stop, 1, decision],
    ['rejected, rule stop', { outcome: 'rejected' }, stop, 1, ended('rejected', 'stop')],
    ['rejected, rule skip', { outcome: 'rejected' }, skip, 1, ended('skipped', 'continue')],
    ['rejected, first of two retries left', { outcome: 'rejected' }, retryThenStop, 1, another],
    ['rejected, last retry left', { outcome: 'rejected' }, retryThenStop, 2, another],
    ['rejected, retries spent, then stop', { outcome: 'rejected' }, retryThenStop, 3, ended('rejected', 'stop')],
    ['rejected, retries spent, then skip', { outcome: 'rejected' }, retryThenSkip, 3, ended('skipped', 'continue')],
  ])('%s', (_row, attempt, rule, attemptNo, expected) => {
    expect(afterAttempt(attempt, rule, attemptNo)).toEqual(expected);
  });

  it('ends a failed step, for runs recorded before failures awaited a decision', () => {
    expect(failedWithoutDecision).toEqual(ended('failed', 'fail'));
  });
});
