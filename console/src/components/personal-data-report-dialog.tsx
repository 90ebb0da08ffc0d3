import { useMutation } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, dataOrThrow } from '../api/api-error';
import { api } from '../api/client';
import { Field } from './field';

/** Hands a downloaded file to the browser as a download of its own. */
function saveFile(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  // After the click has started the download.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/**
 * The report with the heads' full NIK, phone and e-mail, after asking why: the API records who,
 * when and the reason before it answers. Fetched rather than linked, so a refusal (a reason too
 * short, a role without the right) is shown beside the field instead of replacing the page.
 */
export function PersonalDataReportDialog({ rolloutId, onClose, onDone }: { rolloutId: string; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [reason, setReason] = useState('');
  useEffect(() => ref.current?.showModal(), []);

  const download = useMutation({
    mutationFn: async () =>
      dataOrThrow(
        await api.GET('/v1/rollouts/{id}/report-with-personal-data.csv', {
          params: { path: { id: rolloutId }, query: { reason } },
          parseAs: 'blob',
        }),
      ),
    onSuccess: (blob) => {
      saveFile(blob, `rollout-${rolloutId}-personal-data.csv`);
      onDone();
    },
  });
  const refusal = download.error instanceof ApiError ? download.error : undefined;
  // The API names query.reason when the reason is missing or too short: said in the reader's language.
  const error = refusal?.fieldMessage('query.reason') ? t('rollouts.personalData.reasonInvalid') : download.error ? t('rollouts.personalData.refused', { message: download.error.message }) : undefined;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    download.mutate();
  };

  return (
    <dialog ref={ref} aria-labelledby={titleId} onClose={onClose}>
      <form onSubmit={onSubmit}>
        <h2 id={titleId}>{t('rollouts.personalData.dialogTitle', { rolloutId })}</h2>
        <Field label={t('rollouts.personalData.reason')} hint={t('rollouts.personalData.hint')} error={error}>
          {(control) => <textarea {...control} value={reason} onChange={(e) => setReason(e.target.value)} rows={3} aria-required="true" />}
        </Field>
        <div className="dialog-buttons">
          <button type="button" onClick={() => ref.current?.close()}>
            {t('common.cancel')}
          </button>
          <button type="submit" disabled={download.isPending}>
            {download.isPending ? t('rollouts.personalData.working') : t('rollouts.personalData.confirm')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
