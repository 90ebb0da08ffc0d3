import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { DisplayLanguage } from '../../domain/display-format';
import agencyTasksEn from './i18n/agency-tasks.en.json';
import agencyTasksId from './i18n/agency-tasks.id.json';
import bulkActionEn from './i18n/bulk-action.en.json';
import bulkActionId from './i18n/bulk-action.id.json';
import cohortImportEn from './i18n/cohort-import.en.json';
import cohortImportId from './i18n/cohort-import.id.json';
import en from './i18n/en.json';
import householdRunsEn from './i18n/household-runs.en.json';
import householdRunsId from './i18n/household-runs.id.json';
import id from './i18n/id.json';
import rolloutsEn from './i18n/rollouts.en.json';
import rolloutsId from './i18n/rollouts.id.json';
import runGraduationEn from './i18n/run-graduation.en.json';
import runGraduationId from './i18n/run-graduation.id.json';

/** One catalog per language; pages with many strings keep theirs in a file of their own (a key prefix). */
const catalogs = {
  id: { ...id, rollouts: rolloutsId, cohortImport: cohortImportId, agencyTasks: agencyTasksId, bulkAction: bulkActionId, runGraduation: runGraduationId, householdRuns: householdRunsId },
  en: { ...en, rollouts: rolloutsEn, cohortImport: cohortImportEn, agencyTasks: agencyTasksEn, bulkAction: bulkActionEn, runGraduation: runGraduationEn, householdRuns: householdRunsEn },
};

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
  resources: { id: { translation: catalogs.id }, en: { translation: catalogs.en } },
  lng: rememberedLanguage(),
  fallbackLng: 'id',
  interpolation: { escapeValue: false },
});

export { i18n };
