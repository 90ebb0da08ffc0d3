import { textIn } from '../../domain/label';
import { formatDateTime, formatRupiah, formatSortableDate, type DisplayLanguage } from '../../domain/display-format';
import { isDecisionOverdueNotice, isStepNotice, type DecisionOverdueNotice, type SlaNotice, type StepNotice } from '../../domain/sla-notice';
import { regencyOf } from '../../domain/household';
import { emailText } from './email-catalog';
import { escapeHtml } from './email-html';
import { sortableSubject } from './email-subject';

const DAY = 86_400_000;

type Fact = [string, string | undefined];

/** A notice's e-mail in one language, in plain text and HTML; names no household member. */
export function slaEmail(notice: SlaNotice, runUrl: string, now: Date, language: DisplayLanguage) {
  if (isDecisionOverdueNotice(notice)) return decisionOverdueEmail(notice, runUrl, now, language);
  if (!isStepNotice(notice)) throw new TypeError(`a ${notice.kind} notice needs its step's title, agency and task`);
  return stepEmail(notice, runUrl, now, language);
}

function stepEmail(notice: StepNotice, runUrl: string, now: Date, language: DisplayLanguage) {
  const t = emailText(language);
  const stepTitle = textIn(notice.stepTitle, language);
  const overdueDays = overdueDaysOf(notice, now);
  const leftHours = Math.max(0, Math.round((Date.parse(notice.deadline) - now.getTime()) / 3_600_000));
  const headline = t(`sla.headline.${notice.kind}`, { agency: notice.agency, step: stepTitle, count: notice.kind === 'reminder' ? leftHours : overdueDays });
  const action = t(`sla.action.${notice.kind}`);
  // A fact without a value (no amount, a reminder's overdue days) is left out.
  const facts: Fact[] = [
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
  ];
  const subject = sortableSubject([
    t(`subject.rank.${notice.kind}`),
    regencyOf(notice.region),
    notice.agency,
    notice.stepKey,
    t('subject.deadline', { date: formatSortableDate(notice.deadline, notice.region) }),
    notice.rolloutId,
  ]);
  return { subject, ...body(headline, action, facts, runUrl, language) };
}

/**
 * A graduation decision past its approval deadline, for the region's manager: what the readiness
 * score proposed, on what score, the options, and by when it was due. Its subject has no agency
 * (the decision is the manager's): `[Sinergi] 2 Keputusan terlambat · 35.07 · graduation-decision · tenggat 2026-11-23 · <rollout>`.
 */
function decisionOverdueEmail(notice: DecisionOverdueNotice, runUrl: string, now: Date, language: DisplayLanguage) {
  const t = emailText(language);
  const { decision } = notice;
  const decisionText = (d: string) => t(`decision.decisions.${d}`);
  const headline = t('decision.headline', { proposed: decisionText(decision.proposed) });
  const facts: Fact[] = [
    [t('sla.facts.rollout'), notice.rolloutId],
    [t('sla.facts.region'), notice.region],
    [t('sla.facts.step'), `${t('decision.step')} (${notice.stepKey})`],
    [t('decision.facts.proposed'), decisionText(decision.proposed)],
    [t('decision.facts.options'), decision.options.map(decisionText).join(', ') || undefined],
    [t('decision.facts.score'), t('decision.score', { score: decision.score, threshold: decision.readinessThreshold })],
    [t('decision.facts.mandatory'), t(decision.mandatoryMet ? 'decision.mandatoryMet' : 'decision.mandatoryUnmet')],
    [t('decision.facts.assessedAfter'), decision.assessedAfter],
    [t('sla.facts.deadline'), deadlineText(notice, language, t)],
    [t('sla.facts.overdue'), t('sla.overdueDays', { count: overdueDaysOf(notice, now) })],
  ];
  const subject = sortableSubject([
    t(`subject.rank.${notice.kind}`),
    regencyOf(notice.region),
    notice.stepKey,
    t('subject.deadline', { date: formatSortableDate(notice.deadline, notice.region) }),
    notice.rolloutId,
  ]);
  return { subject, ...body(headline, t('decision.action'), facts, runUrl, language) };
}

const overdueDaysOf = (notice: SlaNotice, now: Date) => Math.max(0, Math.floor((now.getTime() - Date.parse(notice.deadline)) / DAY));

/** The text and HTML parts: headline, what to do, the facts that have a value, and the link to the run's page. */
function body(headline: string, action: string, facts: Fact[], runUrl: string, language: DisplayLanguage) {
  const shown = facts.filter((fact): fact is [string, string] => fact[1] !== undefined);
  const runLabel = emailText(language)('sla.facts.run');
  const text = `${headline}\n${action}\n\n${shown.map(([k, v]) => `${k}: ${v}`).join('\n')}\n${runLabel}: ${runUrl}\n`;
  const html =
    `<div lang="${language}"><p><strong>${escapeHtml(headline)}</strong></p><p>${escapeHtml(action)}</p><table>` +
    shown.map(([k, v]) => `<tr><th align="left">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('') +
    `<tr><th align="left">${escapeHtml(runLabel)}</th><td><a href="${escapeHtml(runUrl)}">${escapeHtml(runUrl)}</a></td></tr>` +
    '</table></div>';
  return { text, html };
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
