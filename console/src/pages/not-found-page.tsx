import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';

export function NotFoundPage() {
  const { t } = useTranslation();
  const location = useLocation();
  return (
    <section>
      <h1>{t('notFound.title')}</h1>
      <p>{t('notFound.body', { path: location.pathname })}</p>
      <Link to="/stuck">{t('notFound.home')}</Link>
    </section>
  );
}
