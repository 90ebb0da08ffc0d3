import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { DisplayLanguage } from '../../domain/display-format';
import en from './i18n/en.json';
import id from './i18n/id.json';

const storageKey = 'sinergi.language';
export const languages: readonly DisplayLanguage[] = ['id', 'en'];

/** Bahasa Indonesia unless the person switched to English on this browser before. */
function rememberedLanguage(): DisplayLanguage {
  const stored = localStorage.getItem(storageKey);
  return stored === 'en' ? 'en' : 'id';
}

export function switchLanguage(language: DisplayLanguage): void {
  localStorage.setItem(storageKey, language);
  void i18n.changeLanguage(language);
}

i18n.on('languageChanged', (language) => {
  document.documentElement.lang = language;
});

void i18n.use(initReactI18next).init({
  resources: { id: { translation: id }, en: { translation: en } },
  lng: rememberedLanguage(),
  fallbackLng: 'id',
  interpolation: { escapeValue: false },
});

export { i18n };
