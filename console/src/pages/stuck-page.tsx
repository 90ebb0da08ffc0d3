import { graduationDecisionStep } from '../../../domain/graduation';
import { createColumnHelper, tableFeatures, useTable } from '@tanstack/react-table';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useOutletContext, useSearchParams } from 'react-router';
import { formatDateTime, type DisplayLanguage } from '../../../domain/display-format';
import { agencies } from '../api/agencies';
import type { paths } from '../api/schema';
import type { SessionAnswer } from '../api/session';
import { filterNames, stuckListQuery, stuckQueryOf } from '../api/stuck-query';
import { CountList } from '../components/count-list';
import { BulkActionPanel } from '../components/bulk-action-panel';
import type { BulkFilter } from '../components/bulk-action-dialog';
import { LoadState } from '../components/load-state';
import { OperationDialog, operations, type OperationName, type OperationTarget } from '../components/operation-dialog';
import { Pager } from '../components/pager';
import { DataTable } from '../components/data-table';

type StuckItem = paths['/v1/stuck']['get']['responses'][200]['content']['application/json']['items'][number];

const minAgeChoices = [1, 3, 7, 14, 30];
const features = tableFeatures({});
const column = createColumnHelper<typeof features, StuckItem>();

/** Stuck steps, oldest first, filtered and paged on the server; a manager acts on each row with a reason. */
export function StuckPage() {
  const { t, i18n } = useTranslation();
  const language = i18n.language as DisplayLanguage;
  const { principal } = useOutletContext<SessionAnswer>();
  const [params, setParams] = useSearchParams();
  const [pending, setPending] = useState<{ target: OperationTarget; op: OperationName }>();
  const [done, setDone] = useState<string>();
  const query = stuckQueryOf(params);
  const { pageSize } = query;
  const stuck = useQuery({ ...stuckListQuery(query), placeholderData: keepPreviousData });
  const canOperate = principal.role === 'manager';

  const columns = useMemo(
    () =>
      column.columns([
        column.accessor('runId', { header: () => t('stuck.columns.run'), cell: (c) => <Link to={`/runs/${encodeURIComponent(c.getValue())}`}>{c.getValue()}</Link> }),
        column.accessor('region', { header: () => t('stuck.columns.region'), cell: (c) => c.getValue() ?? t('common.none') }),
        column.accessor('step', { header: () => t('stuck.columns.step'), cell: (c) => c.getValue() ?? t('common.none') }),
        column.accessor('agency', { header: () => t('stuck.columns.agency'), cell: (c) => c.getValue() ?? t('common.none') }),
        column.accessor('deadline', {
          header: () => t('stuck.columns.deadline'),
          cell: (c) => {
            const deadline = c.getValue();
            return deadline ? formatDateTime(deadline, language, c.row.original.region) : t('common.none');
          },
        }),
        column.accessor('daysOverdue', { header: () => t('stuck.columns.overdue'), cell: (c) => t('stuck.daysOverdue', { count: c.getValue() ?? 0 }) }),
        ...(canOperate
          ? [
              column.display({
                id: 'actions',
                header: () => t('stuck.columns.actions'),
                cell: (c) => {
                  const item = c.row.original;
                  if (!item.step) return null;
                  // A graduation decision awaiting a manager is taken on the run's page, beside its evidence.
                  if (item.step === graduationDecisionStep)
                    return (
                      <Link to={`/runs/${encodeURIComponent(item.runId)}#graduation`}>{t('ops.decide-graduation')}</Link>
                    );
                  const target: OperationTarget = { runId: item.runId, stepKey: item.step, ...(item.agency && { agency: item.agency }) };
                  return (
                    <div role="group" aria-label={t('ops.actionsFor', { runId: item.runId })} className="row-actions">
                      {operations.map((op) => (
                        <button key={op} type="button" onClick={() => setPending({ target, op })}>
                          {t(`ops.${op}`)}
                        </button>
                      ))}
                    </div>
                  );
                },
              }),
            ]
          : []),
      ]),
    [t, language, canOperate],
  );
  const items = useMemo(() => stuck.data?.items ?? [], [stuck.data]);
  const table = useTable({ features, columns, data: items });
  const bulkFilter: BulkFilter = { stuck: 'true', ...(query.agency && { agency: query.agency }), ...(query.region && { region: query.region }), ...(query.program && { program: query.program }), ...(query.rollout && { rollout: query.rollout }) };
  const stepsShown = [...new Set(items.flatMap((item) => (item.step ? [item.step] : [])))];

  const applyFilters = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const next = new URLSearchParams();
    for (const name of filterNames) {
      const value = String(form.get(name) ?? '').trim();
      if (value) next.set(name, value);
    }
    if (params.get('pageSize')) next.set('pageSize', String(pageSize));
    setParams(next);
  };
  const setOffset = (offset: number) => {
    const next = new URLSearchParams(params);
    next.set('offset', String(offset));
    setParams(next);
  };

  return (
    <section>
      <h1>{t('stuck.title')}</h1>
      <p>{t('stuck.intro')}</p>
      <form className="filters" onSubmit={applyFilters} aria-label={t('stuck.filters')} key={params.toString()}>
        <label>
          {t('stuck.agency')}
          <select name="agency" defaultValue={params.get('agency') ?? ''}>
            <option value="">{t('stuck.anyAgency')}</option>
            {agencies.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('stuck.regency')}
          <input name="region" defaultValue={params.get('region') ?? ''} placeholder={t('stuck.regencyPlaceholder')} />
        </label>
        <label>
          {t('stuck.program')}
          <input name="program" defaultValue={params.get('program') ?? ''} />
        </label>
        <label>
          {t('stuck.rollout')}
          <input name="rollout" defaultValue={params.get('rollout') ?? ''} />
        </label>
        <label>
          {t('stuck.minAge')}
          <select name="minAge" defaultValue={params.get('minAge') ?? ''}>
            <option value="">{t('stuck.anyAge')}</option>
            {minAgeChoices.map((days) => (
              <option key={days} value={`P${days}D`}>
                {t('stuck.minAgeDays', { count: days })}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t('common.apply')}</button>
        <button type="button" onClick={() => setParams(new URLSearchParams())}>
          {t('common.reset')}
        </button>
      </form>
      {done && <p role="status">{done}</p>}
      {canOperate && <BulkActionPanel filter={bulkFilter} steps={stepsShown} minAgeSet={Boolean(query.minAge)} />}
      {!stuck.data ? (
        <LoadState query={stuck} />
      ) : (
        <>
          <p>{t('stuck.total', { count: stuck.data.total })}</p>
          <div className="counts">
            <CountList title={t('stuck.countsByAgency')} counts={stuck.data.counts.byAgency} />
            <CountList title={t('stuck.countsByRegency')} counts={stuck.data.counts.byRegion} />
          </div>
          {stuck.data.items.length === 0 ? (
            <p>{t('stuck.empty')}</p>
          ) : (
            <DataTable table={table} label={t('stuck.table')} />
          )}
          <Pager offset={query.offset} pageSize={pageSize} shown={stuck.data.items.length} total={stuck.data.total} nextOffset={stuck.data.nextOffset} onOffset={setOffset} />
        </>
      )}
      {pending && (
        <OperationDialog
          target={pending.target}
          op={pending.op}
          onClose={() => setPending(undefined)}
          onDone={(op) => {
            setDone(t('ops.done', { op: t(`ops.${op}`), runId: pending.target.runId }));
            setPending(undefined);
          }}
        />
      )}
    </section>
  );
}
