import { createInstance, type TFunction } from 'i18next';
import type { DisplayLanguage } from '../../domain/display-format';
import en from './i18n/email.en.json';
import id from './i18n/email.id.json';

// An instance of its own, so e-mail text never depends on a language switched elsewhere in the process.
const catalog = createInstance();
// Resources are in memory and there is no backend: initAsync false makes it ready on return.
void catalog.init({
  resources: { id: { translation: id }, en: { translation: en } },
  lng: 'id',
  fallbackLng: 'id',
  initAsync: false,
  // Text parts are plain text; the HTML part escapes each value itself.
  interpolation: { escapeValue: false },
});

/** The e-mail catalog's translate function in one language (Bahasa Indonesia for any key English lacks). */
export const emailText = (language: DisplayLanguage): TFunction => catalog.getFixedT(language);
