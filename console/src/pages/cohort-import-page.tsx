import { textIn } from '../../../domain/label';
import type { DisplayLanguage } from '../../../domain/display-format';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useOutletContext } from 'react-router';
import type { SessionAnswer } from '../api/session';
import { CohortPreview, type ProgramListing, type RolloutPreview } from '../components/cohort-preview';
import { CohortReportView } from '../components/cohort-report';
import { CohortRolloutStart } from '../components/cohort-rollout-start';
import { CohortUpload, type CohortReport } from '../components/cohort-upload';

/** A coordinator's way from a registry extract to a started rollout: upload, report, preview, start. */
export function CohortImportPage() {
  const { t, i18n } = useTranslation();
  const { principal } = useOutletContext<SessionAnswer>();
  const [report, setReport] = useState<CohortReport>();
  const [previewed, setPreviewed] = useState<{ preview: RolloutPreview; title: string }>();
  if (principal.role !== 'coordinator')
    return (
      <section>
        <h1>{t('cohortImport.title')}</h1>
        <p>{t('cohortImport.coordinatorsOnly')}</p>
      </section>
    );
  const onChosen = () => {
    setReport(undefined);
    setPreviewed(undefined);
  };
  const onPreviewed = (preview: RolloutPreview | undefined, program: ProgramListing | undefined) =>
    setPreviewed(preview && { preview, title: program ? textIn(program.title, i18n.language as DisplayLanguage) : preview.programId });

  return (
    <section>
      <h1>{t('cohortImport.title')}</h1>
      <p>{t('cohortImport.intro')}</p>
      <CohortUpload onChosen={onChosen} onUploaded={setReport} />
      {report && <CohortReportView report={report} />}
      {report && report.valid > 0 && <CohortPreview key={`${report.cohortId}:${report.importedAt}`} cohortId={report.cohortId} onPreviewed={onPreviewed} />}
      {report && previewed && <CohortRolloutStart key={`${previewed.preview.programId}:${previewed.preview.version}`} preview={previewed.preview} title={previewed.title} />}
    </section>
  );
}
