import { createColumnHelper, tableFeatures, useTable } from '@tanstack/react-table';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { formatDateTime, type DisplayLanguage } from '../../../domain/display-format';
import { dataOrThrow } from '../api/api-error';
import { api } from '../api/client';
import type { paths } from '../api/schema';
import { LoadState } from '../components/load-state';
import { DataTable } from '../components/data-table';

type RolloutsQuery = NonNullable<paths['/v1/rollouts']['get']['parameters']['query']>;
type RolloutSummary = paths['/v1/rollouts']['get']['responses'][200]['content']['application/json']['rollouts'][number];
type StatusFilter = NonNullable<RolloutsQuery['status']>;

const pageSize = 25;
const statusChoices: readonly StatusFilter[] = ['running', 'completed', 'failed', 'canceled', 'terminated', 'timed_out'];
const features = tableFeatures({});
const column = createColumnHelper<typeof features, RolloutSummary>();

/** The rollouts, one visibility page at a time (running ones newest first), filtered by program and status. */
export function RolloutsPage() {
  const { t, i18n } = useTranslation();
  const language = i18n.language as DisplayLanguage;
  const [params, setParams] = useSearchParams();
  const filters = params.toString();
  // Page tokens of the pages before this one, for the filters they were read with: a token holds only for the same filters.
  const [paging, setPaging] = useState<{ filters: string; tokens: string[] }>({
    filters,
    tokens: [],
  });
  const tokens = paging.filters === filters ? paging.tokens : [];
  const pageToken = tokens.at(-1);
  const query: RolloutsQuery = { pageSize, ...(pageToken && { pageToken }) };
  const program = params.get('program');
  const status = params.get('status');
  if (program) query.program = program;
  if (status && (statusChoices as readonly string[]).includes(status)) query.status = status as StatusFilter;
  const rollouts = useQuery({
    queryKey: ['rollouts', query],
    queryFn: async () => dataOrThrow(await api.GET('/v1/rollouts', { params: { query } })),
    placeholderData: keepPreviousData,
  });

  const columns = useMemo(() => {
    // A rollout covers many regions: the list shows its times in WIB (labelled), not in any one region's zone.
    const at = (iso: string | undefined) => (iso ? formatDateTime(iso, language) : t('common.none'));
    return column.columns([
      column.accessor('rolloutId', {
        header: () => t('rollouts.columns.rollout'),
        cell: (c) => <Link to={`/rollouts/${encodeURIComponent(c.getValue())}`}>{c.getValue()}</Link>,
      }),
      column.accessor('programId', {
        header: () => t('rollouts.columns.program'),
        cell: (c) => {
          const { programId, version } = c.row.original;
          if (!programId) return t('common.none');
          return version ? t('rollouts.programVersion', { programId, version }) : programId;
        },
      }),
      column.accessor('households', {
        header: () => t('rollouts.columns.households'),
        cell: (c) => c.getValue() ?? t('common.none'),
      }),
      column.accessor('temporalStatus', {
        header: () => t('rollouts.columns.status'),
        cell: (c) => {
          // The rollout's own status (paused, cancelled...) while Temporal says only Running or
          // Completed; Temporal's when the workflow itself failed, was terminated or timed out.
          const own = c.row.original.status;
          const temporal = c.getValue();
          return own && (temporal === 'RUNNING' || temporal === 'COMPLETED')
            ? t(`rollouts.rolloutStatus.${own}`)
            : t(`rollouts.temporalStatus.${temporal}`, { defaultValue: temporal });
        },
      }),
      column.accessor('startedBy', {
        header: () => t('rollouts.columns.startedBy'),
        cell: (c) => c.getValue() ?? t('common.none'),
      }),
      column.accessor('startedAt', {
        header: () => t('rollouts.columns.startedAt'),
        cell: (c) => at(c.getValue()),
      }),
      column.accessor('closedAt', {
        header: () => t('rollouts.columns.closedAt'),
        cell: (c) => at(c.getValue()),
      }),
    ]);
  }, [t, language]);
  const items = useMemo(() => rollouts.data?.rollouts ?? [], [rollouts.data]);
  const table = useTable({ features, columns, data: items });

  const applyFilters = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const next = new URLSearchParams();
    for (const name of ['program', 'status']) {
      const value = String(form.get(name) ?? '').trim();
      if (value) next.set(name, value);
    }
    setParams(next);
  };
  const nextToken = rollouts.data?.nextPageToken;

  return (
    <section>
      <h1>{t('rollouts.title')}</h1>
      <p>{t('rollouts.intro')}</p>
      <form className="filters" onSubmit={applyFilters} aria-label={t('rollouts.filters')} key={filters}>
        <label>
          {t('rollouts.program')}
          <input name="program" defaultValue={program ?? ''} placeholder={t('rollouts.programPlaceholder')} />
        </label>
        <label>
          {t('rollouts.status')}
          <select name="status" defaultValue={status ?? ''}>
            <option value="">{t('rollouts.anyStatus')}</option>
            {statusChoices.map((s) => (
              <option key={s} value={s}>
                {t(`rollouts.filterStatus.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t('common.apply')}</button>
        <button type="button" onClick={() => setParams(new URLSearchParams())}>
          {t('common.reset')}
        </button>
      </form>
      {!rollouts.data ? (
        <LoadState query={rollouts} />
      ) : (
        <>
          {items.length === 0 ? (
            <p>{t('rollouts.empty')}</p>
          ) : (
            <DataTable table={table} label={t('rollouts.table')} />
          )}
          {(tokens.length > 0 || nextToken) && (
            <nav className="pager" aria-label={t('rollouts.pager')}>
              <button type="button" disabled={tokens.length === 0} onClick={() => setPaging({ filters, tokens: tokens.slice(0, -1) })}>
                {t('common.previous')}
              </button>
              <span>{t('rollouts.pageNumber', { page: tokens.length + 1 })}</span>
              <button type="button" disabled={!nextToken} onClick={() => nextToken && setPaging({ filters, tokens: [...tokens, nextToken] })}>
                {t('common.next')}
              </button>
            </nav>
          )}
        </>
      )}
    </section>
  );
}
