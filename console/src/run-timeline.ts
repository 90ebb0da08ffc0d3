import type { AttemptState, NoticeKind } from '../../domain/run-state';

export interface TimelineEvent {
  at: string;
  /** A message-catalog key under `events.` and its values, each a code the page translates. */
  kind: 'opened' | 'acknowledged' | 'progress' | NoticeKind | 'closed' | 'superseded' | 'withdrawn' | 'noticeFailed';
  values?: { outcome?: AttemptState['outcome']; op?: AttemptState['supersededBy']; kind?: NoticeKind };
  note?: string;
}

/** What happened to one attempt, in order: opened, acknowledged, progress, reminded, stuck, escalated, closed. */
export function attemptTimeline(attempt: AttemptState): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  if (attempt.openedAt) events.push({ at: attempt.openedAt, kind: 'opened' });
  if (attempt.acknowledgedAt) events.push({ at: attempt.acknowledgedAt, kind: 'acknowledged' });
  for (const p of attempt.progress ?? []) events.push({ at: p.at, kind: 'progress', ...(p.note && { note: p.note }) });
  for (const n of attempt.notices ?? []) events.push(n.error ? { at: n.at, kind: 'noticeFailed', values: { kind: n.kind } } : { at: n.at, kind: n.kind });
  if (attempt.closedAt && attempt.outcome) events.push({ at: attempt.closedAt, kind: 'closed', values: { outcome: attempt.outcome }, ...(attempt.reason && { note: attempt.reason }) });
  if (attempt.closedAt && attempt.supersededBy) events.push({ at: attempt.closedAt, kind: 'superseded', values: { op: attempt.supersededBy } });
  if (attempt.withdrawnAt) events.push({ at: attempt.withdrawnAt, kind: 'withdrawn' });
  return events.sort((a, b) => a.at.localeCompare(b.at));
}
