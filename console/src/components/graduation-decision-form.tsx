import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AssessmentRecord } from '../../../domain/run-state';
import { ApiError, dataOrThrow } from '../api/api-error';
import { api } from '../api/client';
import { Field } from './field';

type Decision = NonNullable<AssessmentRecord['decision']>;

/**
 * A manager's graduation decision where the plan asks for one: the score's proposal preselected,
 * the other options offered, a reason required. The API's refusal shows beside the field it names.
 */
export function GraduationDecisionForm({ runId, awaiting, at }: { runId: string; awaiting: AssessmentRecord; at: (iso: string | undefined) => string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const titleId = useId();
  const [decision, setDecision] = useState<Decision>(awaiting.proposed ?? 'graduate');
  const [reason, setReason] = useState('');
  // One key per form: a double submit is applied once.
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const mutation = useMutation({
    mutationFn: async () =>
      dataOrThrow(await api.POST('/v1/runs/{id}/graduation/decision', { params: { path: { id: runId }, header: { 'idempotency-key': idempotencyKey } }, body: { decision, reason } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['run', runId] }),
  });
  const refusal = mutation.error instanceof ApiError ? mutation.error : undefined;
  const fieldError = (field: string) => refusal?.fieldMessage(`body.${field}`);
  const otherError = mutation.error && !['decision', 'reason'].some((f) => fieldError(f)) ? mutation.error.message : undefined;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    mutation.mutate();
  };
  return (
    <form onSubmit={onSubmit} aria-labelledby={titleId} id="graduation">
      <h3 id={titleId}>{t('runGraduation.decide.title')}</h3>
      <p>
        {t('runGraduation.decide.proposed', { decision: t(`runGraduation.decisions.${awaiting.proposed}`), deadline: at(awaiting.approvalDeadline) })}
      </p>
      <Field label={t('runGraduation.decide.decision')} error={fieldError('decision')}>
        {(props) => (
          <select {...props} value={decision} onChange={(e) => setDecision(e.target.value as Decision)}>
            {(awaiting.options ?? []).map((option) => (
              <option key={option} value={option}>
                {t(`runGraduation.decisions.${option}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('ops.reason')} error={fieldError('reason')}>
        {(props) => <textarea {...props} value={reason} onChange={(e) => setReason(e.target.value)} rows={3} />}
      </Field>
      {otherError && <p role="alert">{otherError}</p>}
      <button type="submit" disabled={mutation.isPending}>
        {mutation.isPending ? t('ops.working') : t('runGraduation.decide.submit')}
      </button>
    </form>
  );
}
