import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { dataOrThrow } from '../api/api-error';
import { api } from '../api/client';
import type { StartedBulkAction } from './bulk-action-dialog';
import { LoadState } from './load-state';

const pollEveryMs = 1_000;
// Visibility (which the stuck list reads) catches up with the runs a moment after the operation ends.
const refreshAgainAfterMs = [1_500, 4_000];

/** A started bulk action's progress (matched, done, applied, refused), polled until it ends; then the stuck list is refreshed. */
export function BulkActionProgress({ started, onDismiss }: { started: StartedBulkAction; onDismiss: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const status = useQuery({
    queryKey: ['bulk-operation', started.operationId],
    queryFn: async () => dataOrThrow(await api.GET('/v1/bulk-operations/{id}', { params: { path: { id: started.operationId } } })),
    refetchInterval: (query) => (query.state.data && query.state.data.status !== 'RUNNING' ? false : pollEveryMs),
  });
  const ended = status.data !== undefined && status.data.status !== 'RUNNING';
  useEffect(() => {
    if (!ended) return;
    const refresh = () => void queryClient.invalidateQueries({ queryKey: ['stuck'] });
    refresh();
    const timers = refreshAgainAfterMs.map((ms) => setTimeout(refresh, ms));
    return () => timers.forEach(clearTimeout);
  }, [ended, queryClient]);

  const op = t(`ops.${started.op}`);
  const counts = status.data?.result ?? status.data?.progress;
  let summary: string;
  if (status.data?.status === 'COMPLETED' && counts) summary = t('bulkAction.completed', { op, ...counts });
  else if (ended) summary = t('bulkAction.ended', { status: status.data?.status });
  else if (counts) summary = t('bulkAction.progress', { op, ...counts });
  else summary = t('bulkAction.waiting', { op });

  return (
    <section className="bulk-progress" aria-label={t('bulkAction.progressTitle')}>
      <h2>{t('bulkAction.progressTitle')}</h2>
      {!status.data && <LoadState query={status} />}
      <p role="status">{summary}</p>
      {counts && (
        <>
          <progress aria-label={t('bulkAction.progressBar')} max={Math.max(counts.matched, 1)} value={counts.done} />
          <dl>
            {(['matched', 'done', 'applied', 'refused'] as const).map((name) => (
              <div key={name}>
                <dt>{t(`bulkAction.${name}`)}</dt>
                <dd>{counts[name]}</dd>
              </div>
            ))}
          </dl>
          {counts.refusals.length > 0 && (
            <figure>
              <figcaption>{t('bulkAction.refusals')}</figcaption>
              <ul>
                {counts.refusals.map((r) => (
                  <li key={r.runId}>{t('bulkAction.refusal', r)}</li>
                ))}
              </ul>
            </figure>
          )}
        </>
      )}
      {ended && (
        <button type="button" onClick={onDismiss}>
          {t('bulkAction.dismiss')}
        </button>
      )}
    </section>
  );
}
