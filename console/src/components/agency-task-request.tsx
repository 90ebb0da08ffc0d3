import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatRupiah } from '../../../domain/display-format';
import { maskedNik } from '../../../domain/nik';
import type { Agency } from '../api/agencies';
import { ApiError, dataOrThrow } from '../api/api-error';
import { api } from '../api/client';
import { LoadState } from './load-state';
import { Fact } from './field';

/** The request Sinergi sent the agency for one task, so a ministry that missed it can catch up: the head's NIK masked, the name in full to find the person. */
export function AgencyTaskRequest({ agency, taskId, linkRun, onClose }: { agency: Agency; taskId: string; linkRun: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const request = useQuery({
    queryKey: ['agency-task', agency, taskId],
    queryFn: async () => dataOrThrow(await api.GET('/v1/agencies/{agency}/tasks/{taskId}', { params: { path: { agency, taskId } } })),
  });
  const heading = t('agencyTasks.request.heading', { taskId });
  if (request.error instanceof ApiError && request.error.status === 404) return <p role="alert">{t('agencyTasks.request.notFound', { taskId })}</p>;
  if (!request.data) return <LoadState query={request} />;
  const sent = request.data;
  const { household } = sent;
  return (
    <section aria-label={heading} className="task-request">
      <h2>{heading}</h2>
      <button type="button" onClick={onClose}>
        {t('agencyTasks.request.close')}
      </button>
      <h3>{t('agencyTasks.request.task')}</h3>
      <dl className="facts">
        <Fact term={t('agencyTasks.request.taskId')}>{sent.taskId}</Fact>
        <Fact term={t('agencyTasks.request.run')}>{linkRun ? <Link to={`/runs/${encodeURIComponent(sent.runId)}`}>{sent.runId}</Link> : sent.runId}</Fact>
        <Fact term={t('agencyTasks.request.step')}>{sent.stepKey}</Fact>
        <Fact term={t('agencyTasks.request.attempt')}>{sent.attempt}</Fact>
        <Fact term={t('agencyTasks.request.kind')}>{t(`agencyTasks.kinds.${sent.kind}`)}</Fact>
        {Object.entries(sent.parameters).map(([name, value]) => (
          <Fact key={name} term={`${t('agencyTasks.request.parameters')}: ${name}`}>
            {name === 'amount' && typeof value === 'number' ? formatRupiah(value) : String(value)}
          </Fact>
        ))}
      </dl>
      <h3>{t('agencyTasks.request.household')}</h3>
      <dl className="facts">
        <Fact term={t('agencyTasks.request.familyCard')}>{household.familyCardNumber}</Fact>
        <Fact term={t('agencyTasks.request.nik')}>{maskedNik(household.headNik)}</Fact>
        <Fact term={t('agencyTasks.request.name')}>{household.headName}</Fact>
        <Fact term={t('agencyTasks.request.region')}>{household.region}</Fact>
        <Fact term={t('agencyTasks.request.decile')}>{household.decile}</Fact>
        <Fact term={t('agencyTasks.request.welfare')}>{t(`welfareStatus.${household.welfareStatus}`)}</Fact>
        {household.phone && <Fact term={t('agencyTasks.request.phone')}>{household.phone}</Fact>}
        {household.email && <Fact term={t('agencyTasks.request.email')}>{household.email}</Fact>}
      </dl>
    </section>
  );
}
