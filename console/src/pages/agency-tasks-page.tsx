import { createColumnHelper, tableFeatures, useTable } from '@tanstack/react-table';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useOutletContext, useParams, useSearchParams } from 'react-router';
import { formatDateTime, type DisplayLanguage } from '../../../domain/display-format';
import { agencies, type Agency } from '../api/agencies';
import { dataOrThrow } from '../api/api-error';
import { api } from '../api/client';
import type { paths } from '../api/schema';
import type { SessionAnswer } from '../api/session';
import { AgencyTaskRequest } from '../components/agency-task-request';
import { LoadState } from '../components/load-state';
import { DataTable } from '../components/data-table';

type OpenTask = paths['/v1/agencies/{agency}/tasks']['get']['responses'][200]['content']['application/json']['tasks'][number];

const pageSize = 50;
const features = tableFeatures({});
const column = createColumnHelper<typeof features, OpenTask>();
const isAgency = (value: string | undefined): value is Agency => agencies.includes(value as Agency);

/** An agency's open tasks (a ministry its own; staff choose the agency), and the request sent for the one selected. */
export function AgencyTasksPage() {
  const { t } = useTranslation();
  const { principal } = useOutletContext<SessionAnswer>();
  const agency = useParams().agency;
  const navigate = useNavigate();
  if (principal.role === 'ministry' && principal.agency && agency !== principal.agency) return <Navigate to={`/agencies/${principal.agency}/tasks`} replace />;
  if (!isAgency(agency)) return <p role="alert">{t('agencyTasks.unknownAgency', { agency })}</p>;
  return (
    <section>
      <h1>{t('agencyTasks.title', { agency })}</h1>
      <p>{t('agencyTasks.intro')}</p>
      {principal.role !== 'ministry' && (
        <form className="filters" onSubmit={(e) => e.preventDefault()}>
          <label>
            {t('agencyTasks.agency')}
            <select value={agency} onChange={(e) => void navigate(`/agencies/${e.target.value}/tasks`)}>
              {agencies.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </select>
          </label>
        </form>
      )}
      {/* Keyed by agency: another agency's list starts at its first page. */}
      <OpenTasks key={agency} agency={agency} linkRuns={principal.role !== 'ministry'} />
    </section>
  );
}

function OpenTasks({ agency, linkRuns }: { agency: Agency; linkRuns: boolean }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language as DisplayLanguage;
  const [params, setParams] = useSearchParams();
  const selected = params.get('task') ?? undefined;
  // Visibility pages by token: the tokens of the pages before this one, to go back.
  const [tokens, setTokens] = useState<(string | undefined)[]>([undefined]);
  const pageToken = tokens[tokens.length - 1];
  const tasks = useQuery({
    queryKey: ['agency-tasks', agency, pageToken],
    queryFn: async () => dataOrThrow(await api.GET('/v1/agencies/{agency}/tasks', { params: { path: { agency }, query: { pageSize, ...(pageToken && { pageToken }) } } })),
    placeholderData: keepPreviousData,
  });
  const select = (taskId: string | undefined) => {
    const next = new URLSearchParams(params);
    if (taskId) next.set('task', taskId);
    else next.delete('task');
    setParams(next);
  };
  const columns = useMemo(
    () =>
      column.columns([
        column.accessor('taskId', {
          header: () => t('agencyTasks.columns.taskId'),
          cell: (c) => (
            <button type="button" aria-pressed={c.getValue() === selected} onClick={() => select(c.getValue())}>
              {c.getValue()}
            </button>
          ),
        }),
        column.accessor('step', { header: () => t('agencyTasks.columns.step'), cell: (c) => c.getValue() ?? t('common.none') }),
        column.accessor('region', { header: () => t('agencyTasks.columns.region'), cell: (c) => c.getValue() ?? t('common.none') }),
        column.accessor('deadline', {
          header: () => t('agencyTasks.columns.deadline'),
          cell: (c) => {
            const deadline = c.getValue();
            return deadline ? formatDateTime(deadline, language, c.row.original.region) : t('common.none');
          },
        }),
        column.accessor('stuck', {
          header: () => t('agencyTasks.columns.stuck'),
          cell: (c) => (c.getValue() ? <span className="badge">{t('agencyTasks.stuckYes')}</span> : t('agencyTasks.stuckNo')),
        }),
      ]),
    // select closes over the current search params.
    [t, language, selected, params],
  );
  const items = useMemo(() => tasks.data?.tasks ?? [], [tasks.data]);
  const table = useTable({ features, columns, data: items });

  if (!tasks.data) return <LoadState query={tasks} />;
  const nextPageToken = tasks.data.nextPageToken;
  return (
    <>
      {items.length === 0 ? (
        <p>{t('agencyTasks.empty')}</p>
      ) : (
        <DataTable table={table} label={t('agencyTasks.table')} />
      )}
      <nav className="pager" aria-label={t('agencyTasks.pages')}>
        <button type="button" disabled={tokens.length === 1} onClick={() => setTokens(tokens.slice(0, -1))}>
          {t('common.previous')}
        </button>
        <span>{t('agencyTasks.page', { page: tokens.length })}</span>
        <button type="button" disabled={!nextPageToken} onClick={() => nextPageToken && setTokens([...tokens, nextPageToken])}>
          {t('common.next')}
        </button>
      </nav>
      {selected && <AgencyTaskRequest key={selected} agency={agency} taskId={selected} linkRun={linkRuns} onClose={() => select(undefined)} />}
    </>
  );
}
