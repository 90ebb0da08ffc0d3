import type { SlaNotice } from '../../domain/sla-notice';

const DAY = 86_400_000;
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The e-mail for a notice, in plain text and HTML; names no household member. */
export function slaEmail(notice: SlaNotice, runUrl: string, now: Date) {
  const overdueDays = Math.max(0, Math.floor((now.getTime() - Date.parse(notice.deadline)) / DAY));
  const leftHours = Math.max(0, Math.round((Date.parse(notice.deadline) - now.getTime()) / 3_600_000));
  const headline = {
    reminder: `Reminder: ${notice.agency} step "${notice.stepTitle}" is due in ${leftHours} h`,
    breach: `Stuck: ${notice.agency} step "${notice.stepTitle}" passed its SLA`,
    escalation: `Escalated: ${notice.agency} step "${notice.stepTitle}" is ${overdueDays} day(s) overdue`,
  }[notice.kind];
  const facts: [string, string][] = [
    ['Rollout', notice.rolloutId],
    ['Region', notice.region],
    ['Step', `${notice.stepTitle} (${notice.stepKey})`],
    ['Agency', notice.agency],
    ['Task', notice.taskId],
    ['Deadline', notice.deadline],
    ['Days overdue', String(overdueDays)],
    ['Run', runUrl],
  ];
  const text = `${headline}\n\n${facts.map(([k, v]) => `${k}: ${v}`).join('\n')}\n`;
  const html =
    `<p><strong>${escapeHtml(headline)}</strong></p><table>` +
    facts.map(([k, v]) => `<tr><th align="left">${escapeHtml(k)}</th><td>${k === 'Run' ? `<a href="${escapeHtml(v)}">${escapeHtml(v)}</a>` : escapeHtml(v)}</td></tr>`).join('') +
    '</table>';
  return { subject: `[Sinergi] ${headline} (${notice.rolloutId}, ${notice.region})`, text, html };
}
