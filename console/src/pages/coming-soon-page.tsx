import { useTranslation } from 'react-i18next';

/** Holds a deep link that e-mails and bookmarks may use before its page is built. */
export function ComingSoonPage() {
  const { t } = useTranslation();
  return (
    <section>
      <h1>{t('soon.title')}</h1>
      <p>{t('soon.body')}</p>
    </section>
  );
}
