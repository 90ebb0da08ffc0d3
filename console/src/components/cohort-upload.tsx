import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, type ApiErrorBody } from '../api/api-error';
import { signInPath } from '../api/client';
import type { paths } from '../api/schema';
import { csrfTokenForMutations } from '../api/session';
import { Field } from './field';

export type CohortReport = paths['/v1/cohorts']['post']['responses'][201]['content']['application/json'];

class UploadInterrupted extends Error {}

/** JSON by its type or name; anything else as CSV (spreadsheets label CSV files in many ways). */
function contentTypeOf(file: File): 'application/json' | 'text/csv' {
  return file.type === 'application/json' || file.name.toLowerCase().endsWith('.json') ? 'application/json' : 'text/csv';
}

/**
 * Posts the file as it is: the browser streams it from disk, never read into the page, so a
 * 100,000-row file cannot freeze it. XMLHttpRequest because fetch reports no upload progress;
 * the cookie goes along, the CSRF token comes from the session as the generated client's does.
 */
async function uploadCohort(file: File, onProgress: (share: number) => void): Promise<CohortReport> {
  const csrfToken = await csrfTokenForMutations();
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/v1/cohorts');
    xhr.responseType = 'json';
    xhr.setRequestHeader('content-type', contentTypeOf(file));
    if (csrfToken) xhr.setRequestHeader('x-csrf-token', csrfToken);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      if (xhr.status === 201) return resolve(xhr.response as CohortReport);
      if (xhr.status === 401) window.location.assign(signInPath());
      reject(new ApiError(xhr.status, (xhr.response ?? undefined) as ApiErrorBody | undefined));
    };
    xhr.onerror = () => reject(new UploadInterrupted());
    xhr.onabort = () => reject(new UploadInterrupted());
    xhr.send(file);
  });
}

/** Chooses a cohort file and uploads it with a progress bar; the API's refusal (a bad header, a wrong type) is shown beside the file. */
export function CohortUpload({ onChosen, onUploaded }: { onChosen: () => void; onUploaded: (report: CohortReport) => void }) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File>();
  const [share, setShare] = useState(0);
  const upload = useMutation({
    mutationFn: (chosen: File) => uploadCohort(chosen, setShare),
    onSuccess: onUploaded,
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!file) return;
    setShare(0);
    upload.mutate(file);
  };
  const refusal = upload.error instanceof ApiError ? upload.error : undefined;
  const refusalText = refusal && [refusal.message, ...(refusal.body?.error.fields ?? []).filter((f) => f.message !== refusal.message).map((f) => `${f.field}: ${f.message}`)].join(' — ');
  const error = upload.error ? (refusalText ? t('cohortImport.upload.failed', { message: refusalText }) : t('cohortImport.upload.network')) : undefined;
  const percent = Math.round(share * 100);

  return (
    <form onSubmit={onSubmit} aria-label={t('cohortImport.upload.heading')}>
      <h2>{t('cohortImport.upload.heading')}</h2>
      <Field label={t('cohortImport.upload.file')} hint={t('cohortImport.upload.hint')} error={error}>
        {(props) => (
          <input
            {...props}
            type="file"
            accept=".csv,.json,text/csv,application/json"
            onChange={(e) => {
              setFile(e.target.files?.[0]);
              upload.reset();
              onChosen();
            }}
          />
        )}
      </Field>
      <button type="submit" disabled={!file || upload.isPending}>
        {upload.isPending ? t('cohortImport.upload.uploading') : t('cohortImport.upload.submit')}
      </button>
      {upload.isPending && (
        <div className="field">
          <progress max={100} value={percent} aria-label={t('cohortImport.upload.progress')} aria-valuetext={t('cohortImport.upload.progressValue', { percent })} />{' '}
          <span role="status">{percent >= 100 ? t('cohortImport.upload.checking') : t('cohortImport.upload.progressValue', { percent })}</span>
        </div>
      )}
    </form>
  );
}
