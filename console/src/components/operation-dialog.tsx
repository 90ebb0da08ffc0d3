import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Agency } from '../api/agencies';
import { ApiError, dataOrThrow } from '../api/api-error';
import { api } from '../api/client';
import { Field } from './field';
import { ExtendByField, ToAgencyField } from './operation-fields';

export type OperationName = 'retry' | 'skip' | 'extend' | 'reassign' | 'cancel';
export const operations: readonly OperationName[] = ['retry', 'skip', 'extend', 'reassign', 'cancel'];

export interface OperationTarget {
  runId: string;
  stepKey: string;
  agency?: string;
}

/** Asks for the reason (and the new deadline or agency), then sends the manager's operation; the API's refusal is shown beside the field it names. */
export function OperationDialog({ target, op, onClose, onDone }: { target: OperationTarget; op: OperationName; onClose: () => void; onDone: (op: OperationName) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [reason, setReason] = useState('');
  const [extendDays, setExtendDays] = useState(7);
  const [agency, setAgency] = useState<Agency | ''>('');
  // One key per dialog: a double submit or a retried request is applied once.
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  useEffect(() => ref.current?.showModal(), []);

  const mutation = useMutation({
    mutationFn: async () => {
      const headers = { 'idempotency-key': idempotencyKey };
      if (op === 'cancel') return dataOrThrow(await api.POST('/v1/runs/{id}/cancel', { params: { path: { id: target.runId }, header: headers }, body: { reason } }));
      const body = { reason, ...(op === 'extend' && { extendBy: `P${extendDays}D` }), ...(op === 'reassign' && agency && { agency }) };
      return dataOrThrow(await api.POST('/v1/runs/{id}/steps/{key}/{op}', { params: { path: { id: target.runId, key: target.stepKey, op }, header: headers }, body }));
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['stuck'] });
      await queryClient.invalidateQueries({ queryKey: ['run', target.runId] });
      onDone(op);
    },
  });
  const refusal = mutation.error instanceof ApiError ? mutation.error : undefined;
  const fieldError = (field: string) => refusal?.fieldMessage(`body.${field}`);
  const otherError = mutation.error && !['reason', 'extendBy', 'agency'].some((f) => fieldError(f)) ? mutation.error.message : undefined;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    mutation.mutate();
  };

  return (
    <dialog ref={ref} aria-labelledby={titleId} onClose={onClose}>
      <form onSubmit={onSubmit}>
        <h2 id={titleId}>{t('ops.dialogTitle', { op: t(`ops.${op}`), step: target.stepKey, runId: target.runId })}</h2>
        <Field label={t('ops.reason')} error={fieldError('reason')}>
          {(props) => <textarea {...props} value={reason} onChange={(e) => setReason(e.target.value)} rows={3} />}
        </Field>
        {op === 'extend' && <ExtendByField days={extendDays} onChange={setExtendDays} error={fieldError('extendBy')} />}
        {op === 'reassign' && <ToAgencyField agency={agency} onChange={setAgency} from={target.agency} error={fieldError('agency')} />}
        {otherError && <p role="alert">{otherError}</p>}
        <div className="dialog-buttons">
          <button type="button" onClick={() => ref.current?.close()}>
            {t('common.cancel')}
          </button>
          <button type="submit" disabled={mutation.isPending}>
            {mutation.isPending ? t('ops.working') : t('ops.confirm')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
