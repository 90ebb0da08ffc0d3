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

/** An operation and the body its path takes: extend its extendBy, reassign its agency. */
type StepOperationRequest =
  | { op: 'cancel' | 'retry' | 'skip'; body: { reason: string } }
  | { op: 'extend'; body: { reason: string; extendBy: string } }
  | { op: 'reassign'; body: { reason: string; agency: Agency } };

/** The request for what the dialog holds; none for a reassign without its agency. */
function stepOperationRequest(op: OperationName, reason: string, extendDays: number, agency: Agency | ''): StepOperationRequest | undefined {
  if (op === 'extend') return { op, body: { reason, extendBy: `P${extendDays}D` } };
  if (op === 'reassign') return agency ? { op, body: { reason, agency } } : undefined;
  return { op, body: { reason } };
}

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

  // A reassign without an agency is refused here, beside the field, as the API would refuse it.
  const [agencyMissing, setAgencyMissing] = useState(false);

  const mutation = useMutation({
    mutationFn: async (request: StepOperationRequest) => {
      const header = { 'idempotency-key': idempotencyKey };
      const params = { path: { id: target.runId, key: target.stepKey }, header };
      switch (request.op) {
        case 'cancel':
          return dataOrThrow(await api.POST('/v1/runs/{id}/cancel', { params: { path: { id: target.runId }, header }, body: request.body }));
        case 'retry':
          return dataOrThrow(await api.POST('/v1/runs/{id}/steps/{key}/retry', { params, body: request.body }));
        case 'skip':
          return dataOrThrow(await api.POST('/v1/runs/{id}/steps/{key}/skip', { params, body: request.body }));
        case 'extend':
          return dataOrThrow(await api.POST('/v1/runs/{id}/steps/{key}/extend', { params, body: request.body }));
        case 'reassign':
          return dataOrThrow(await api.POST('/v1/runs/{id}/steps/{key}/reassign', { params, body: request.body }));
      }
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['stuck'] });
      await queryClient.invalidateQueries({ queryKey: ['run', target.runId] });
      onDone(op);
    },
  });
  const refusal = mutation.error instanceof ApiError ? mutation.error : undefined;
  const fieldError = (field: string) => (field === 'agency' && agencyMissing && !agency ? t('ops.agencyRequired') : refusal?.fieldMessage(`body.${field}`));
  const otherError = mutation.error && !['reason', 'extendBy', 'agency'].some((f) => fieldError(f)) ? mutation.error.message : undefined;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const request = stepOperationRequest(op, reason, extendDays, agency);
    setAgencyMissing(!request);
    if (request) mutation.mutate(request);
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
