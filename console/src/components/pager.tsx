import { useTranslation } from 'react-i18next';

/** Previous and next over a server-paged list. */
export function Pager({ offset, pageSize, shown, total, nextOffset, onOffset }: { offset: number; pageSize: number; shown: number; total: number; nextOffset: number | undefined; onOffset: (offset: number) => void }) {
  const { t } = useTranslation();
  if (total === 0) return null;
  return (
    <nav className="pager" aria-label={t('common.page', { from: offset + 1, to: offset + shown, total })}>
      <button type="button" disabled={offset === 0} onClick={() => onOffset(Math.max(0, offset - pageSize))}>
        {t('common.previous')}
      </button>
      <span>{t('common.page', { from: offset + 1, to: offset + shown, total })}</span>
      <button type="button" disabled={nextOffset === undefined} onClick={() => nextOffset !== undefined && onOffset(nextOffset)}>
        {t('common.next')}
      </button>
    </nav>
  );
}
