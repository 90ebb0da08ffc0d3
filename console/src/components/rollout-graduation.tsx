import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { DisplayLanguage } from '../../../domain/display-format';
import { dataOrThrow } from '../api/api-error';
import { api } from '../api/client';
import type { paths } from '../api/schema';
import { Fact } from './field';
import { LoadState } from './load-state';

// recharts is loaded only when a rollout with graduation criteria shows its scores.
const RolloutGraduationChart = lazy(() => import('./rollout-graduation-chart'));

type Progress = paths['/v1/rollouts/{id}']['get']['responses'][200]['content']['application/json'];
export type GraduationCounts = NonNullable<Progress['graduation']>;

/** A criterion of the pinned plan, its label in the reader's language (its key when the plan cannot be read). */
export interface CriterionLabel {
  key: string;
  label: string;
}

const courses = ['decided', 'graduated', 'extended', 'exited', 'relapsed', 'followingUp'] as const;

/**
 * A rollout's graduation: outcomes, readiness scores and criteria met, for the whole rollout (from
 * its progress) or one regency (asked of the API), the regency kept in the URL (?regency=35.09).
 */
export function RolloutGraduation({
  rolloutId,
  whole,
  regencies,
  criteria,
  refetchInterval,
}: {
  rolloutId: string;
  whole: GraduationCounts;
  regencies: Progress['regencies'];
  criteria: readonly CriterionLabel[];
  refetchInterval: number | false;
}) {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const selectId = useId();
  const asked = params.get('regency') ?? '';
  const regency = regencies.some((r) => r.regency === asked) ? asked : '';
  const byRegency = useQuery({
    queryKey: ['rollout-graduation', rolloutId, regency],
    enabled: regency !== '',
    refetchInterval,
    queryFn: async () => dataOrThrow(await api.GET('/v1/rollouts/{id}/graduation', { params: { path: { id: rolloutId }, query: { regency } } })),
  });
  const choose = (next: string) =>
    setParams(
      (current) => {
        const updated = new URLSearchParams(current);
        if (next) updated.set('regency', next);
        else updated.delete('regency');
        return updated;
      },
      { replace: true },
    );

  const counts = regency ? byRegency.data?.graduation : whole;
  return (
    <section aria-labelledby={`${selectId}-title`}>
      <h2 id={`${selectId}-title`}>{t('rollouts.graduation.title')}</h2>
      <p className="hint">{t('rollouts.graduation.intro')}</p>
      {regencies.length > 0 && (
        <p>
          <label htmlFor={selectId}>{t('rollouts.graduation.regency')}</label>{' '}
          <select id={selectId} value={regency} onChange={(e) => choose(e.target.value)}>
            <option value="">{t('rollouts.graduation.allRegencies')}</option>
            {regencies.map((r) => (
              <option key={r.regency} value={r.regency}>
                {t('rollouts.graduation.regencyOption', { regency: r.regency, households: r.households })}
              </option>
            ))}
          </select>
        </p>
      )}
      {counts ? <GraduationFigures counts={counts} criteria={criteria} /> : regency && <LoadState query={byRegency} />}
    </section>
  );
}

function GraduationFigures({ counts, criteria }: { counts: GraduationCounts; criteria: readonly CriterionLabel[] }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language as DisplayLanguage;
  const number = new Intl.NumberFormat(language === 'en' ? 'en-GB' : 'id-ID');
  const percent = new Intl.NumberFormat(language === 'en' ? 'en-GB' : 'id-ID', { style: 'percent', maximumFractionDigits: 0 });
  const bars = Object.entries(counts.scores).map(([band, runs]) => ({ band, runs }));
  return (
    <>
      <dl className="facts" aria-label={t('rollouts.graduation.counts')}>
        {courses.map((c) => (
          <Fact key={c} term={t(`rollouts.graduation.${c}`)}>
            {number.format(counts[c])}
          </Fact>
        ))}
      </dl>
      {counts.decided === 0 ? (
        <p>{t('rollouts.graduation.noneDecided')}</p>
      ) : (
        <>
          <h3>{t('rollouts.graduation.scores')}</h3>
          <Suspense fallback={<p aria-busy="true">{t('rollouts.graduation.loadingChart')}</p>}>
            <RolloutGraduationChart
              bars={bars}
              runsLabel={t('rollouts.graduation.runs')}
              label={t('rollouts.graduation.chartLabel', { bands: bars.map((b) => `${b.band} ${number.format(b.runs)}`).join(', ') })}
            />
          </Suspense>
          <h3>{t('rollouts.graduation.criteria')}</h3>
          <table aria-label={t('rollouts.graduation.criteria')} style={{ maxWidth: '48rem' }}>
            <thead>
              <tr>
                <th scope="col">{t('rollouts.graduation.criterion')}</th>
                <th scope="col">{t('rollouts.graduation.met')}</th>
                <th scope="col">{t('rollouts.graduation.share')}</th>
              </tr>
            </thead>
            <tbody>
              {criteria.map(({ key, label }) => {
                const met = counts.criteriaMet[key] ?? 0;
                return (
                  <tr key={key}>
                    <th scope="row">{label}</th>
                    <td>{number.format(met)}</td>
                    <td>{percent.format(met / counts.decided)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}
