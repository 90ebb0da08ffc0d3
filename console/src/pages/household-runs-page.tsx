import { createColumnHelper, tableFeatures, useTable } from '@tanstack/react-table';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatDateTime, type DisplayLanguage } from '../../../domain/display-format';
import { dataOrThrow } from '../api/api-error';
import { api } from '../api/client';
import type { paths } from '../api/schema';
import { DataTable } from '../components/data-table';
import { LoadState } from '../components/load-state';

type RunSummary = paths['/v1/runs']['get']['responses'][200]['content']['application/json']['runs'][number];

// A household has a few runs (one per program at a time): one page holds them all.
const pageSize = 100;
const features = tableFeatures({});
const column = createColumnHelper<typeof features, RunSummary>();
const isFamilyCardNumber = (value: string) => /^\d{16}$/.test(value);

/**
 * One household's runs, found by its KK: the API translates the KK to the pseudonym Temporal knows
 * the household by. The KK stays in this page's state, not in its address (nor the browser's history).
 */
export function HouseholdRunsPage() {
  const { t } = useTranslation();
  const [familyCard, setFamilyCard] = useState<string>();
  const [invalid, setInvalid] = useState(false);
  const search = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const value = String(new FormData(e.currentTarget).get('household') ?? '').replace(/\s/g, '');
    setInvalid(!isFamilyCardNumber(value));
    setFamilyCard(isFamilyCardNumber(value) ? value : undefined);
  };
  return (
    <section>
      <h1>{t('householdRuns.title')}</h1>
      <p>{t('householdRuns.intro')}</p>
      <form className="filters" onSubmit={search} aria-label={t('householdRuns.search')}>
        <label>
          {t('householdRuns.familyCard')}
          <input name="household" inputMode="numeric" autoComplete="off" placeholder={t('householdRuns.familyCardHint')} aria-invalid={invalid} />
        </label>
        <button type="submit">{t('householdRuns.submit')}</button>
      </form>
      {invalid && <p role="alert">{t('householdRuns.invalid')}</p>}
      {familyCard && <HouseholdRuns key={familyCard} familyCard={familyCard} />}
    </section>
  );
}

function HouseholdRuns({ familyCard }: { familyCard: string }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language as DisplayLanguage;
  const runs = useQuery({
    queryKey: ['household-runs', familyCard],
    queryFn: async () => dataOrThrow(await api.GET('/v1/runs', { params: { query: { household: familyCard, pageSize } } })),
  });
  const columns = useMemo(
    () =>
      column.columns([
        column.accessor('runId', {
          header: () => t('householdRuns.columns.run'),
          cell: (c) => <Link to={`/runs/${encodeURIComponent(c.getValue())}`}>{c.getValue()}</Link>,
        }),
        column.accessor('rolloutId', { header: () => t('householdRuns.columns.rollout'), cell: (c) => c.getValue() ?? t('common.none') }),
        column.accessor('programId', { header: () => t('householdRuns.columns.program'), cell: (c) => c.getValue() ?? t('common.none') }),
        column.accessor('temporalStatus', {
          header: () => t('householdRuns.columns.status'),
          // The run's own outcome while Temporal says only Running or Completed; Temporal's when it was cancelled, terminated...
          cell: (c) => {
            const outcome = c.row.original.outcome;
            const temporal = c.getValue();
            return outcome && (temporal === 'RUNNING' || temporal === 'COMPLETED')
              ? t(`runStatus.${outcome}`, { defaultValue: outcome })
              : t(`rollouts.temporalStatus.${temporal}`, { defaultValue: temporal });
          },
        }),
        column.accessor('region', { header: () => t('householdRuns.columns.region'), cell: (c) => c.getValue() ?? t('common.none') }),
        column.accessor('startTime', {
          header: () => t('householdRuns.columns.startedAt'),
          cell: (c) => {
            const at = c.getValue();
            return at ? formatDateTime(at, language, c.row.original.region) : t('common.none');
          },
        }),
      ]),
    [t, language],
  );
  const items = useMemo(() => runs.data?.runs ?? [], [runs.data]);
  const table = useTable({ features, columns, data: items });
  if (!runs.data) return <LoadState query={runs} />;
  if (items.length === 0) return <p>{t('householdRuns.empty', { familyCard })}</p>;
  return <DataTable table={table} label={t('householdRuns.table', { familyCard })} />;
}
