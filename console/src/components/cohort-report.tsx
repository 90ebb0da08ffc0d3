import { createColumnHelper, tableFeatures, useTable } from '@tanstack/react-table';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime, type DisplayLanguage } from '../../../domain/display-format';
import { Fact } from './field';
import { CountList } from './count-list';
import type { CohortReport } from './cohort-upload';
import { DataTable } from './data-table';

type InvalidRow = CohortReport['invalidRows'][number];
type RowProblem = InvalidRow['problems'][number] & Pick<InvalidRow, 'row' | 'familyCardNumber'>;

const features = tableFeatures({});
const column = createColumnHelper<typeof features, RowProblem>();

/** The import's validation report: counts, counts by problem, and each bad row's problems with its row number and column. */
export function CohortReportView({ report }: { report: CohortReport }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language as DisplayLanguage;
  const problems = useMemo(() => report.invalidRows.flatMap(({ row, familyCardNumber, problems }) => problems.map((p) => ({ ...p, row, familyCardNumber }))), [report]);
  const countsByProblem = Object.fromEntries(Object.entries(report.problems).map(([code, count]) => [t(`cohortImport.problems.${code}`, { defaultValue: code }), count ?? 0]));
  const columns = useMemo(
    () =>
      column.columns([
        column.accessor('row', { header: () => t('cohortImport.report.columns.row') }),
        column.accessor('familyCardNumber', { header: () => t('cohortImport.report.columns.familyCard'), cell: (c) => c.getValue() ?? t('common.none') }),
        column.accessor('field', { header: () => t('cohortImport.report.columns.field'), cell: (c) => `${t(`cohortImport.fields.${c.getValue()}`)} (${c.getValue()})` }),
        column.accessor('code', { header: () => t('cohortImport.report.columns.problem'), cell: (c) => t(`cohortImport.problems.${c.getValue()}`) }),
        column.accessor('message', { header: () => t('cohortImport.report.columns.message') }),
      ]),
    [t],
  );
  const table = useTable({ features, columns, data: problems });

  return (
    <section aria-labelledby="cohort-report-heading">
      <h2 id="cohort-report-heading">{t('cohortImport.report.heading')}</h2>
      <dl className="facts">
        <Fact term={t('cohortImport.report.cohortId')}>{report.cohortId}</Fact>
        <Fact term={t('cohortImport.report.importedBy')}>{report.importedBy}</Fact>
        <Fact term={t('cohortImport.report.importedAt')}>{formatDateTime(report.importedAt, language)}</Fact>
        <Fact term={t('cohortImport.report.rows')}>{report.rows}</Fact>
        <Fact term={t('cohortImport.report.valid')}>{report.valid}</Fact>
        <Fact term={t('cohortImport.report.invalid')}>{report.invalid}</Fact>
      </dl>
      {report.valid === 0 && <p role="alert">{t('cohortImport.report.noneValid')}</p>}
      {report.invalid === 0 ? (
        <p>{t('cohortImport.report.allValid')}</p>
      ) : (
        <>
          <div className="counts">
            <CountList title={t('cohortImport.report.byProblem')} counts={countsByProblem} />
          </div>
          <h3>{t('cohortImport.report.badRows')}</h3>
          {report.invalidRowsTruncated && <p>{t('cohortImport.report.truncated', { count: report.invalidRows.length })}</p>}
          <DataTable table={table} label={t('cohortImport.report.badRowsTable')} />
        </>
      )}
    </section>
  );
}
