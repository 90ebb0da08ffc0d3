import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, dataOrThrow } from '../api/api-error';
import { api } from '../api/client';
import { Field } from './field';

export type RolloutControl = 'pause' | 'resume' | 'cancel';
export const rolloutControls: readonly RolloutControl[] = ['pause', 'resume', 'cancel'];

/**
 * Pause, resume or cancel a rollout after asking why, in a modal dialog like the stuck steps'
 * OperationDialog. The API decides: its refusal (a reason too short, or a control that does not
 * apply now) is shown right below the reason field, tied to it for screen readers.
 */
export function RolloutControlDialog({ rolloutId, op, onClose, onDone }: { rolloutId: string; op: RolloutControl; onClose: () => void; onDone: (op: RolloutControl) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [reason, setReason] = useState('');
  // One key per dialog: a double submit or a retried request is applied once.
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  useEffect(() => ref.current?.showModal(), []);

  const mutation = useMutation({
    mutationFn: async () => {
      const params = {
        path: { id: rolloutId },
        header: { 'idempotency-key': idempotencyKey },
      };
      const body = { reason };
      // One documented route per control (the client's paths are literal).
      if (op === 'pause') return dataOrThrow(await api.POST('/v1/rollouts/{id}/pause', { params, body }));
      if (op === 'resume') return dataOrThrow(await api.POST('/v1/rollouts/{id}/resume', { params, body }));
      return dataOrThrow(await api.POST('/v1/rollouts/{id}/cancel', { params, body }));
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['rollout', rolloutId] });
      await queryClient.invalidateQueries({ queryKey: ['rollouts'] });
      onDone(op);
    },
  });
  const refusal = mutation.error instanceof ApiError ? mutation.error : undefined;
  // The API names body.reason when the reason is missing or too short: said in the reader's language.
  const error = refusal?.fieldMessage('body.reason') ? t('rollouts.control.reasonInvalid') : mutation.error ? t('rollouts.control.refused', { message: mutation.error.message }) : undefined;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    mutation.mutate();
  };

  return (
    <dialog ref={ref} aria-labelledby={titleId} onClose={onClose}>
      <form onSubmit={onSubmit}>
        <h2 id={titleId}>
          {t('rollouts.control.dialogTitle', {
            op: t(`rollouts.control.${op}`),
            rolloutId,
          })}
        </h2>
        <Field label={t('rollouts.control.reason')} hint={t(`rollouts.control.${op}Hint`)} error={error}>
          {(control) => <textarea {...control} value={reason} onChange={(e) => setReason(e.target.value)} rows={3} aria-required="true" />}
        </Field>
        <div className="dialog-buttons">
          <button type="button" onClick={() => ref.current?.close()}>
            {t('common.cancel')}
          </button>
          <button type="submit" disabled={mutation.isPending}>
            {mutation.isPending ? t('rollouts.control.working') : t('rollouts.control.confirm')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
