import type { UseQueryResult } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';

/** What a page shows while its data loads, or why it could not. */
export function LoadState({ query }: { query: Pick<UseQueryResult, 'isPending' | 'error' | 'refetch'> }) {
  const { t } = useTranslation();
  if (query.error)
    return (
      <p role="alert">
        {t('common.error', { message: query.error.message })}{' '}
        <button type="button" onClick={() => void query.refetch()}>
          {t('common.retryLoad')}
        </button>
      </p>
    );
  return <p aria-busy="true">{t('common.loading')}</p>;
}
