import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { formatRupiah, type DisplayLanguage } from '../../../domain/display-format';
import { isMet, type Criterion, type IndicatorValue } from '../../../domain/graduation';
import { textIn } from '../../../domain/label';
import type { AssessmentRecord, GraduationState, StepState } from '../../../domain/run-state';
import { Fact } from './field';

type Translate = (key: string, values?: Record<string, unknown>) => string;

/**
 * A run's graduation: the outcome, each assessment (when, after which visit, the readiness score
 * and the decision or the check after graduation) and each visit's findings against the criteria.
 * The criteria come from the run's pinned plan; without it (a plan not in the catalog) their keys
 * stand in for their labels and whether a value meets one is not shown.
 */
export function RunGraduation({
  graduation,
  criteria,
  steps,
  at,
}: {
  graduation: GraduationState;
  criteria: readonly Criterion[] | undefined;
  steps: readonly StepState[];
  at: (iso: string | undefined) => string;
}) {
  const { t, i18n } = useTranslation();
  const language = i18n.language as DisplayLanguage;
  const titleId = useId();
  const locale = language === 'en' ? 'en-GB' : 'id-ID';
  const score = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  const visitTitle = (stepKey: string) => {
    const step = steps.find((s) => s.key === stepKey);
    return step ? textIn(step.title, language) : stepKey;
  };
  const day = (date: string) => new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));
  const g = graduation;
  return (
    <section aria-labelledby={titleId}>
      <h2 id={titleId}>{t('runGraduation.title')}</h2>
      <dl className="facts">
        <Fact term={t('runGraduation.outcome')}>{g.outcome ? t(`runGraduation.outcomes.${g.outcome}`) : t('runGraduation.undecided')}</Fact>
        {g.decidedAt && <Fact term={t('runGraduation.decidedAt')}>{at(g.decidedAt)}</Fact>}
        <Fact term={t('runGraduation.extensionsUsed')}>{g.extensionsUsed}</Fact>
        {g.relapsedAt && <Fact term={t('runGraduation.relapsedAt')}>{at(g.relapsedAt)}</Fact>}
      </dl>
      {!criteria && <p className="hint">{t('runGraduation.keysOnly')}</p>}

      <h3>{t('runGraduation.assessments')}</h3>
      {g.assessments.length === 0 ? (
        <p>{t('runGraduation.noAssessments')}</p>
      ) : (
        <table aria-label={t('runGraduation.assessments')}>
          <thead>
            <tr>
              <th scope="col">{t('runGraduation.when')}</th>
              <th scope="col">{t('runGraduation.afterVisit')}</th>
              <th scope="col">{t('runGraduation.score')}</th>
              <th scope="col">{t('runGraduation.decision')}</th>
            </tr>
          </thead>
          <tbody>
            {g.assessments.map((a) => (
              <tr key={`${a.stepKey}-${a.at}`}>
                <td>{at(a.at)}</td>
                <td>{visitTitle(a.stepKey)}</td>
                <td>{score.format(a.score)}</td>
                <td>
                  {a.decision
                    ? t(`runGraduation.decisions.${a.decision}`)
                    : a.relapsed !== undefined
                      ? t(a.relapsed ? 'runGraduation.relapsed' : 'runGraduation.stillReady')
                      : t('runGraduation.awaiting')}
                  {!a.mandatoryMet && ` (${t('runGraduation.mandatoryUnmet')})`}
                  {a.approvalDeadline && !a.decision && <ApprovalDue assessment={a} at={at} />}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h3>{t('runGraduation.evidence')}</h3>
      {g.evidence.length === 0 && <p>{t('runGraduation.noEvidence')}</p>}
      {g.evidence.map((visit) => {
        const caption = t('runGraduation.visit', { visit: visitTitle(visit.stepKey), date: day(visit.visitedOn) });
        const rows = criteria
          ? criteria.filter((c) => visit.indicators[c.key] !== undefined).map((c) => ({ key: c.key, criterion: c as Criterion | undefined, value: visit.indicators[c.key]! }))
          : Object.entries(visit.indicators).map(([key, value]) => ({ key, criterion: undefined, value }));
        return (
          <table key={`${visit.stepKey}-${visit.visitedOn}`} aria-label={caption}>
            <caption>{caption}</caption>
            <thead>
              <tr>
                <th scope="col">{t('runGraduation.criterion')}</th>
                <th scope="col">{t('runGraduation.value')}</th>
                <th scope="col">{t('runGraduation.met')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ key, criterion, value }) => (
                <tr key={key}>
                  <th scope="row">
                    {criterion ? textIn(criterion.label, language) : key}
                    {criterion?.mandatory && ` (${t('runGraduation.mandatory')})`}
                  </th>
                  <td>{indicatorText(criterion, value, language, t)}</td>
                  <td>{criterion ? t(isMet(criterion.indicator, value) ? 'runGraduation.yes' : 'runGraduation.no') : t('runGraduation.unknown')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        );
      })}
    </section>
  );
}

/** While a manager's decision is awaited: by when (in working days where the plan counts so), and whether the region's manager was told it is overdue. */
function ApprovalDue({ assessment, at }: { assessment: AssessmentRecord; at: (iso: string | undefined) => string }) {
  const { t } = useTranslation();
  const overdue = assessment.notices?.find((n) => n.kind === 'decision-overdue');
  return (
    <>
      {' — '}
      {t('runGraduation.approvalDeadline', { deadline: at(assessment.approvalDeadline) })}
      {assessment.approvalDeadlineBasis?.days === 'working' && ` (${t('runGraduation.workingDays')})`}
      {overdue && ` — ${overdue.error ? t('runGraduation.overdueNoticeFailed') : t('runGraduation.overdueNoticeSent', { at: at(overdue.at) })}`}
    </>
  );
}

/** A reported value as people read it: Rupiah, a count, days, a percentage, Ya/Tidak, or a choice's label. */
export function indicatorText(criterion: Criterion | undefined, value: IndicatorValue, language: DisplayLanguage, t: Translate): string {
  const number = new Intl.NumberFormat(language === 'en' ? 'en-GB' : 'id-ID');
  if (typeof value === 'boolean') return t(value ? 'runGraduation.yes' : 'runGraduation.no');
  const indicator = criterion?.indicator;
  if (typeof value === 'string') {
    const choice = indicator?.type === 'choice' ? indicator.choices.find((c) => c.key === value) : undefined;
    return choice ? textIn(choice.label, language) : value;
  }
  if (indicator?.type !== 'number') return number.format(value);
  switch (indicator.unit) {
    case 'rupiah':
      return formatRupiah(value);
    case 'days':
      return t('runGraduation.days', { value: number.format(value), count: value });
    case 'percent':
      return `${number.format(value)}%`;
    case 'count':
      return number.format(value);
  }
}
