import { textIn } from '../../../domain/label';
import type { DisplayLanguage } from '../../../domain/display-format';
import { createColumnHelper, tableFeatures, useTable } from '@tanstack/react-table';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, dataOrThrow } from '../api/api-error';
import { api } from '../api/client';
import type { paths } from '../api/schema';
import { Fact, Field } from './field';
import { CountList } from './count-list';
import { LoadState } from './load-state';
import { DataTable } from './data-table';

export type RolloutPreview = paths['/v1/rollouts/preview']['post']['responses'][200]['content']['application/json'];
export type ProgramListing = paths['/v1/programs']['get']['responses'][200]['content']['application/json']['programs'][number];
type Listed = RolloutPreview['excluded'][number] & { decision: 'excluded' | 'flagged' };

const features = tableFeatures({});
const column = createColumnHelper<typeof features, Listed>();

/** Chooses a program and previews the cohort against it: eligible, excluded by reason, flagged. Starts nothing. */
export function CohortPreview({ cohortId, onPreviewed }: { cohortId: string; onPreviewed: (preview: RolloutPreview | undefined, program: ProgramListing | undefined) => void }) {
  const { t, i18n } = useTranslation();
  const [programId, setProgramId] = useState('');
  const programs = useQuery({ queryKey: ['programs'], queryFn: async () => dataOrThrow(await api.GET('/v1/programs')) });
  const program = programs.data?.programs.find((p) => p.programId === programId);
  const preview = useMutation({
    mutationFn: async () => dataOrThrow(await api.POST('/v1/rollouts/preview', { body: { cohortId, programId } })),
    onSuccess: (answer) => onPreviewed(answer, program),
  });
  const refusal = preview.error instanceof ApiError ? preview.error : undefined;
  const programError = refusal?.fieldMessage('body.programId') ?? refusal?.fieldMessage('body.version');
  const otherError = preview.error && !programError ? t('common.error', { message: preview.error.message }) : undefined;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    preview.mutate();
  };

  if (!programs.data) return <LoadState query={programs} />;
  return (
    <section aria-labelledby="cohort-preview-heading">
      <h2 id="cohort-preview-heading">{t('cohortImport.preview.heading')}</h2>
      <form onSubmit={onSubmit} className="filters">
        <Field label={t('cohortImport.preview.program')} error={programError}>
          {(props) => (
            <select
              {...props}
              required
              value={programId}
              onChange={(e) => {
                setProgramId(e.target.value);
                preview.reset();
                onPreviewed(undefined, undefined);
              }}
            >
              <option value="">{t('cohortImport.preview.chooseProgram')}</option>
              {programs.data.programs.map((p) => (
                <option key={p.programId} value={p.programId}>
                  {t('cohortImport.preview.programOption', { title: p.title, version: p.latest })}
                </option>
              ))}
            </select>
          )}
        </Field>
        <button type="submit" disabled={!programId || preview.isPending}>
          {preview.isPending ? t('cohortImport.preview.working') : t('cohortImport.preview.submit')}
        </button>
      </form>
      {otherError && <p role="alert">{otherError}</p>}
      {preview.data && <PreviewResult preview={preview.data} title={program ? textIn(program.title, i18n.language as DisplayLanguage) : preview.data.programId} />}
    </section>
  );
}

function PreviewResult({ preview, title }: { preview: RolloutPreview; title: string }) {
  const { t } = useTranslation();
  const { counts } = preview;
  const excludedBy = Object.fromEntries(Object.entries(counts.excludedBy).map(([reason, count]) => [t(`cohortImport.reasons.${reason}`, { defaultValue: reason }), count]));
  const listed = useMemo<Listed[]>(
    () => [...preview.excluded.map((e) => ({ ...e, decision: 'excluded' as const })), ...preview.flagged.map((e) => ({ ...e, decision: 'flagged' as const }))],
    [preview],
  );
  const columns = useMemo(
    () =>
      column.columns([
        column.accessor('householdId', { header: () => t('cohortImport.preview.columns.household') }),
        column.accessor('decision', { header: () => t('cohortImport.preview.columns.decision'), cell: (c) => t(`cohortImport.preview.decisions.${c.getValue()}`) }),
        column.accessor('reason', { header: () => t('cohortImport.preview.columns.reason'), cell: (c) => t(`cohortImport.reasons.${c.getValue()}`, { defaultValue: c.getValue() }) }),
        column.accessor('detail', { header: () => t('cohortImport.preview.columns.detail') }),
      ]),
    [t],
  );
  const table = useTable({ features, columns, data: listed });
  return (
    <div aria-live="polite">
      <h3>{t('cohortImport.preview.result', { title, version: preview.version })}</h3>
      <dl className="facts">
        <Fact term={t('cohortImport.preview.households')}>{counts.households}</Fact>
        <Fact term={t('cohortImport.preview.eligible')}>{counts.eligible}</Fact>
        <Fact term={t('cohortImport.preview.excluded')}>{counts.excluded}</Fact>
        <Fact term={t('cohortImport.preview.flagged')}>{counts.flagged}</Fact>
      </dl>
      {counts.excluded > 0 && (
        <div className="counts">
          <CountList title={t('cohortImport.preview.excludedBy')} counts={excludedBy} />
        </div>
      )}
      {listed.length > 0 && (
        <>
          {preview.truncated && <p>{t('cohortImport.preview.truncated')}</p>}
          <DataTable table={table} label={t('cohortImport.preview.table')} />
        </>
      )}
    </div>
  );
}
