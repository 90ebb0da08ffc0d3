import { useMutation } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Agency } from '../api/agencies';
import { ApiError, dataOrThrow } from '../api/api-error';
import { api } from '../api/client';
import type { paths } from '../api/schema';
import { operations, type OperationName } from './operation-dialog';
import { Field } from './field';
import { ExtendByField, ToAgencyField } from './operation-fields';

export type BulkRequest = paths['/v1/bulk-operations']['post']['requestBody']['content']['application/json'];
/** The stuck list's filter; an operation on a step adds the step to it. */
export type BulkFilter = Extract<BulkRequest, { op: 'cancel' }>['filter'];
export interface StartedBulkAction {
  operationId: string;
  op: OperationName;
}

const fieldsShownBesideControls = ['filter.step', 'op', 'reason', 'extendBy', 'agency'];

/**
 * The manager's bulk action over the stuck list's filter: the operation, its step and reason; a
 * preview of how many runs it touches; then, once confirmed, the durable operation is started.
 */
export function BulkActionDialog({ filter, steps, onClose, onStarted }: { filter: BulkFilter; steps: string[]; onClose: () => void; onStarted: (started: StartedBulkAction) => void }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [op, setOp] = useState<OperationName>('extend');
  const [step, setStep] = useState(filter.step ?? (steps.length === 1 ? steps[0]! : ''));
  const [extendDays, setExtendDays] = useState(7);
  const [agency, setAgency] = useState<Agency | ''>('');
  const [reason, setReason] = useState('');
  // One key per dialog: a double confirm or a retried request starts one operation.
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  useEffect(() => ref.current?.showModal(), []);

  // A reassign without an agency is refused here, beside the field, as the API would refuse it.
  const [agencyMissing, setAgencyMissing] = useState(false);
  const body = bulkRequest(op, filter, step.trim(), reason, extendDays, agency);
  const bodyKey = JSON.stringify(body);
  const preview = useMutation({
    mutationFn: async (request: BulkRequest) => ({ key: JSON.stringify(request), ...dataOrThrow(await api.POST('/v1/bulk-operations/preview', { body: request })) }),
  });
  const start = useMutation({
    mutationFn: async (request: BulkRequest) => dataOrThrow(await api.POST('/v1/bulk-operations', { body: request, params: { header: { 'idempotency-key': idempotencyKey } } })),
    onSuccess: (started) => onStarted({ operationId: started.operationId, op }),
  });
  // A count is only good for the choices it was taken with: any change asks for a new preview.
  const previewed = preview.data?.key === bodyKey ? preview.data : undefined;
  const error = start.error ?? (preview.data?.key === bodyKey || preview.isPending ? undefined : preview.error) ?? undefined;
  const refusal = error instanceof ApiError ? error : undefined;
  const fieldError = (field: string) => (field === 'agency' && agencyMissing && !agency ? t('ops.agencyRequired') : refusal?.fieldMessage(`body.${field}`));
  const otherError = error && !fieldsShownBesideControls.some((f) => fieldError(f)) ? error.message : undefined;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setAgencyMissing(!body);
    if (!body) return;
    if (previewed && previewed.matched > 0) start.mutate(body);
    else preview.mutate(body);
  };

  return (
    <dialog ref={ref} aria-labelledby={titleId} onClose={onClose}>
      <form onSubmit={onSubmit}>
        <h2 id={titleId}>{t('bulkAction.title')}</h2>
        <p>{t('bulkAction.scope', { filter: describeFilter(filter, t) })}</p>
        <Field label={t('bulkAction.op')} error={fieldError('op')}>
          {(props) => (
            <select {...props} value={op} onChange={(e) => setOp(e.target.value as OperationName)} disabled={start.isPending}>
              {operations.map((name) => (
                <option key={name} value={name}>
                  {t(`ops.${name}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('bulkAction.step')} hint={op === 'cancel' ? undefined : t('bulkAction.stepHint')} error={fieldError('filter.step')}>
          {(props) => (
            <>
              <input {...props} value={step} onChange={(e) => setStep(e.target.value)} list={`${props.id}-steps`} disabled={start.isPending} />
              <datalist id={`${props.id}-steps`}>
                {steps.map((s) => (
                  <option key={s} value={s} />
                ))}
              </datalist>
            </>
          )}
        </Field>
        {op === 'extend' && <ExtendByField days={extendDays} onChange={setExtendDays} error={fieldError('extendBy')} disabled={start.isPending} />}
        {op === 'reassign' && <ToAgencyField agency={agency} onChange={setAgency} from={filter.agency} error={fieldError('agency')} disabled={start.isPending} />}
        <Field label={t('bulkAction.reason')} error={fieldError('reason')}>
          {(props) => <textarea {...props} value={reason} onChange={(e) => setReason(e.target.value)} rows={3} disabled={start.isPending} />}
        </Field>
        {previewed && <p role="status">{previewed.matched > 0 ? t('bulkAction.touched', { count: previewed.matched }) : t('bulkAction.nothingTouched')}</p>}
        {otherError && <p role="alert">{otherError}</p>}
        <div className="dialog-buttons">
          <button type="button" onClick={() => ref.current?.close()}>
            {t('common.cancel')}
          </button>
          {previewed && previewed.matched > 0 ? (
            <button type="submit" disabled={start.isPending}>
              {start.isPending ? t('bulkAction.starting') : t('bulkAction.confirm')}
            </button>
          ) : (
            <button type="submit" disabled={preview.isPending}>
              {preview.isPending ? t('bulkAction.previewing') : t('bulkAction.preview')}
            </button>
          )}
        </div>
      </form>
    </dialog>
  );
}

/**
 * The request for what the dialog holds; none for a reassign without its agency. An operation on a
 * step sends the step even when blank, for the API to name body.filter.step; a cancel only a given one.
 */
function bulkRequest(op: OperationName, filter: BulkFilter, step: string, reason: string, extendDays: number, agency: Agency | ''): BulkRequest | undefined {
  if (op === 'cancel') return { op, filter: { ...filter, ...(step && { step }) }, reason };
  const onStep = { ...filter, step };
  if (op === 'extend') return { op, filter: onStep, reason, extendBy: `P${extendDays}D` };
  if (op === 'reassign') return agency ? { op, filter: onStep, reason, agency } : undefined;
  return { op, filter: onStep, reason };
}

/** The filter in words, e.g. "Kabupaten/kota (kode wilayah): 35.09; Instansi: kemensos". */
function describeFilter(filter: BulkFilter, t: (key: string) => string): string {
  const labels: [keyof BulkFilter, string][] = [
    ['agency', 'stuck.agency'],
    ['region', 'stuck.regency'],
    ['program', 'stuck.program'],
    ['rollout', 'stuck.rollout'],
  ];
  const parts = labels.filter(([name]) => filter[name]).map(([name, label]) => `${t(label)}: ${filter[name]}`);
  return parts.length ? parts.join('; ') : t('bulkAction.scopeAll');
}
