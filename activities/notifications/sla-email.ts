import { textIn } from '../../domain/label';
import { formatDateTime, formatRupiah, formatSortableDate, type DisplayLanguage } from '../../domain/display-format';
import type { SlaNotice } from '../../domain/sla-notice';
import { regencyOf } from '../../temporal/visibility/stuck-steps';
import { emailText } from './email-catalog';
import { escapeHtml } from './email-html';
import { sortableSubject } from './email-subject';

const DAY = 86_400_000;

/** A notice's e-mail in one language, in plain text and HTML; names no household member. */
export function slaEmail(notice: SlaNotice, runUrl: string, now: Date, language: DisplayLanguage) {
  const t = emailText(language);
  const stepTitle = textIn(notice.stepTitle, language);
  const overdueDays = Math.max(0, Math.floor((now.getTime() - Date.parse(notice.deadline)) / DAY));
  const leftHours = Math.max(0, Math.round((Date.parse(notice.deadline) - now.getTime()) / 3_600_000));
  const headline = t(`sla.headline.${notice.kind}`, { agency: notice.agency, step: stepTitle, count: notice.kind === 'reminder' ? leftHours : overdueDays });
  const action = t(`sla.action.${notice.kind}`);
  // A fact without a value (no amount, a reminder's overdue days) is left out.
  const facts = ([
    [t('sla.facts.rollout'), notice.rolloutId],
    [t('sla.facts.region'), notice.region],
    [t('sla.facts.step'), `${stepTitle} (${notice.stepKey})`],
    [t('sla.facts.kind'), notice.stepKind && t(`stepKinds.${notice.stepKind}`)],
    [t('sla.facts.agency'), notice.agency],
    [t('sla.facts.task'), notice.taskId],
    [t('sla.facts.amount'), notice.amount === undefined ? undefined : formatRupiah(notice.amount)],
    // In the household region's zone: that is where the deadline falls due.
    [t('sla.facts.deadline'), deadlineText(notice, language, t)],
    // A reminder comes before the deadline: nothing is overdue yet.
    [t('sla.facts.overdue'), notice.kind === 'reminder' ? undefined : t('sla.overdueDays', { count: overdueDays })],
  ] satisfies [string, string | undefined][]).filter((fact): fact is [string, string] => fact[1] !== undefined);
  const runLabel = t('sla.facts.run');
  const text = `${headline}\n${action}\n\n${facts.map(([k, v]) => `${k}: ${v}`).join('\n')}\n${runLabel}: ${runUrl}\n`;
  const html =
    `<div lang="${language}"><p><strong>${escapeHtml(headline)}</strong></p><p>${escapeHtml(action)}</p><table>` +
    facts.map(([k, v]) => `<tr><th align="left">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('') +
    `<tr><th align="left">${escapeHtml(runLabel)}</th><td><a href="${escapeHtml(runUrl)}">${escapeHtml(runUrl)}</a></td></tr>` +
    '</table></div>';
  const subject = sortableSubject([
    t(`subject.rank.${notice.kind}`),
    regencyOf(notice.region),
    notice.agency,
    notice.stepKey,
    t('subject.deadline', { date: formatSortableDate(notice.deadline, notice.region) }),
    notice.rolloutId,
  ]);
  return { subject, text, html };
}

/** The deadline in the region's zone, saying when it counts working days and when a year's days off are not decreed yet. */
function deadlineText(notice: SlaNotice, language: DisplayLanguage, t: ReturnType<typeof emailText>): string {
  const basis = notice.deadlineBasis;
  const notes = [
    ...(basis?.days === 'working' ? [t('sla.deadlineWorkingDays')] : []),
    ...(basis?.notDecreed?.length ? [t('sla.deadlineProvisional', { years: basis.notDecreed.map((y) => y.year).join(', ') })] : []),
  ];
  const at = formatDateTime(notice.deadline, language, notice.region);
  return notes.length ? `${at} (${notes.join('; ')})` : at;
}
