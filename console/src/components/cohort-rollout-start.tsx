import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ApiError, dataOrThrow } from '../api/api-error';
import { api } from '../api/client';
import { Field } from './field';
import type { RolloutPreview } from './cohort-preview';

/** Names the rollout and starts it on the previewed program version, then goes to its page; a refusal is shown beside the rollout id. */
export function CohortRolloutStart({ preview, title }: { preview: RolloutPreview; title: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [rolloutId, setRolloutId] = useState('');
  const start = useMutation({
    // The version previewed is the version started, even if a newer one is published meanwhile.
    mutationFn: async () => dataOrThrow(await api.POST('/v1/rollouts', { body: { rolloutId: rolloutId.trim(), cohortId: preview.cohortId, programId: preview.programId, version: preview.version } })),
    onSuccess: (started) => navigate(`/rollouts/${encodeURIComponent(started.rolloutId)}`),
  });
  const refusal = start.error instanceof ApiError ? start.error : undefined;
  // A taken id is a 409 naming body.rolloutId, like the 400 for a malformed one.
  const rolloutIdError = refusal?.fieldMessage('body.rolloutId');
  const otherError = start.error && !rolloutIdError ? t('common.error', { message: start.error.message }) : undefined;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    start.mutate();
  };

  return (
    <section aria-labelledby="cohort-start-heading">
      <h2 id="cohort-start-heading">{t('cohortImport.start.heading')}</h2>
      {preview.counts.eligible === 0 ? (
        <p>{t('cohortImport.start.nobodyEligible')}</p>
      ) : (
        <form onSubmit={onSubmit}>
          <p>{t('cohortImport.start.summary', { eligible: preview.counts.eligible, title, version: preview.version })}</p>
          <Field label={t('cohortImport.start.rolloutId')} hint={t('cohortImport.start.rolloutIdHint')} error={rolloutIdError}>
            {(props) => <input {...props} value={rolloutId} onChange={(e) => setRolloutId(e.target.value)} autoComplete="off" spellCheck={false} />}
          </Field>
          {otherError && <p role="alert">{otherError}</p>}
          <button type="submit" disabled={start.isPending}>
            {start.isPending ? t('cohortImport.start.working') : t('cohortImport.start.submit')}
          </button>
        </form>
      )}
    </section>
  );
}
