import { useTranslation } from 'react-i18next';
import { languages, switchLanguage } from '../i18n';

/** Bahasa Indonesia or English, remembered on this browser. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <label className="language-switch">
      {t('language.label')}{' '}
      <select value={i18n.language} onChange={(e) => switchLanguage(e.target.value === 'en' ? 'en' : 'id')}>
        {languages.map((language) => (
          <option key={language} value={language}>
            {t(`language.${language}`)}
          </option>
        ))}
      </select>
    </label>
  );
}
