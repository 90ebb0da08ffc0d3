import { textIn } from '../../../domain/label';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useOutletContext, useParams } from 'react-router';
import { awaitingDecision } from '../../../domain/step-operation';
import type { SessionAnswer } from '../api/session';
import { GraduationDecisionForm } from '../components/graduation-decision-form';
import { formatDateTime, formatRupiah, type DisplayLanguage } from '../../../domain/display-format';
import type { AttemptState, OperationRecord } from '../../../domain/run-state';
import { ApiError, dataOrThrow } from '../api/api-error';
import { api } from '../api/client';
import { LoadState } from '../components/load-state';
import { attemptTimeline, type TimelineEvent } from '../run-timeline';
import { Fact } from '../components/field';
import { OperationsTable } from '../components/operations-table';
import { RunGraduation } from '../components/run-graduation';

/** One household's run: its steps and their attempts as a timeline, its graduation, the managers' operations, and the link to Temporal. */
export function RunPage() {
  const { t, i18n } = useTranslation();
  const language = i18n.language as DisplayLanguage;
  const { principal } = useOutletContext<SessionAnswer>();
  const runId = useParams().runId ?? '';
  const run = useQuery({ queryKey: ['run', runId], queryFn: async () => dataOrThrow(await api.GET('/v1/runs/{id}', { params: { path: { id: runId } } })) });
  const programId = run.data?.state.programId;
  const version = run.data?.state.programVersion;
  // The criteria's labels are in the pinned plan; a run started with a plan not in the catalog shows their keys.
  const plan = useQuery({
    queryKey: ['program', programId, version],
    enabled: Boolean(run.data?.state.graduation && programId && version),
    staleTime: Infinity,
    retry: false,
    queryFn: async () => dataOrThrow(await api.GET('/v1/programs/{programId}/versions/{version}', { params: { path: { programId: programId!, version: version! } } })),
  });
  if (run.error instanceof ApiError && run.error.status === 404) return <p role="alert">{t('run.notFound', { runId })}</p>;
  if (!run.data) return <LoadState query={run} />;
  const { state } = run.data;
  const at = (iso: string | undefined) => (iso ? formatDateTime(iso, language, state.region) : t('common.none'));
  return (
    <article>
      <h1>
        {/* The run's own id, also when the address named it by KK. */}
        {t('run.title')}: {run.data.runId}
      </h1>
      <dl className="facts">
        <Fact term={t('run.status')}>{t(`runStatus.${state.status}`)}</Fact>
        <Fact term={t('run.program')}>{`${state.programId} v${state.programVersion}`}</Fact>
        <Fact term={t('run.rollout')}>{state.rolloutId}</Fact>
        <Fact term={t('run.region')}>{state.region}</Fact>
        <Fact term={t('run.household')}>{state.householdId}</Fact>
        <Fact term={t('run.started')}>{at(state.startedAt)}</Fact>
        {state.finishedAt && <Fact term={t('run.finished')}>{at(state.finishedAt)}</Fact>}
        <Fact term={t('run.welfare')}>
          {t('run.welfareChange', { before: t(`welfareStatus.${state.welfareStatus.before}`), current: t(`welfareStatus.${state.welfareStatus.current}`) })}
        </Fact>
      </dl>
      {run.data.links.temporalUi && (
        <p>
          <a href={run.data.links.temporalUi} target="_blank" rel="noreferrer">
            {t('run.temporalUi')}
          </a>
        </p>
      )}
      <h2>{t('run.timeline')}</h2>
      <ol className="timeline">
        {state.steps.map((step) => (
          <li key={step.key}>
            <h3>
              {textIn(step.title, language)} ({step.key}, {step.agency}) — {t(`stepStatus.${step.status}`)}
              {step.stuck && <span className="badge">{t('run.stuckBadge')}</span>}
            </h3>
            {step.attempts.map((attempt) => (
              <Attempt key={attempt.taskId} attempt={attempt} at={at} />
            ))}
          </li>
        ))}
      </ol>
      {state.graduation && (plan.data || plan.isError) && (
        <RunGraduation graduation={state.graduation} criteria={plan.data?.plan.graduation?.criteria} steps={state.steps} at={at} />
      )}
      {principal.role === 'manager' && state.status === 'running' && awaitingDecision(state) && (
        <GraduationDecisionForm runId={runId} awaiting={awaitingDecision(state)!} at={at} />
      )}
      <h2>{t('run.operations')}</h2>
      <Operations operations={state.operations ?? []} at={at} />
    </article>
  );
}

function Attempt({ attempt, at }: { attempt: AttemptState; at: (iso: string | undefined) => string }) {
  const { t } = useTranslation();
  const amount = attempt.result?.amount;
  return (
    <section className="attempt">
      <h4>{t('run.attempt', { attempt: attempt.attempt, taskId: attempt.taskId })}</h4>
      <dl className="facts">
        {attempt.deadline && (
          <Fact term={t('run.deadline')}>
            {at(attempt.deadline)}
            {attempt.deadlineBasis?.days === 'working' && ` (${t('run.deadlineWorkingDays')})`}
            {/* A year the joint decree has not fixed yet: the days off were estimated, so the deadline may move. */}
            {attempt.deadlineBasis?.notDecreed?.length ? ` — ${t('run.deadlineProvisional', { years: attempt.deadlineBasis.notDecreed.map((y) => y.year).join(', ') })}` : ''}
          </Fact>
        )}
        {attempt.agencyReference && <Fact term={t('run.reference')}>{attempt.agencyReference}</Fact>}
        {typeof amount === 'number' && <Fact term={t('run.amount')}>{formatRupiah(amount)}</Fact>}
      </dl>
      <ol className="events">
        {attemptTimeline(attempt).map((event, i) => (
          <li key={i}>
            <time dateTime={event.at}>{at(event.at)}</time> {t(`events.${event.kind}`, translatedValues(t, event.values))}
            {event.note && <q>{event.note}</q>}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** Values that are codes (an outcome, an operation, a notice kind) shown in the reader's language. */
function translatedValues(t: (key: string) => string, values: TimelineEvent['values']) {
  if (!values) return undefined;
  return {
    ...(values.outcome && { outcome: t(`outcomes.${values.outcome}`) }),
    ...(values.op && { op: t(`opNames.${values.op}`) }),
    ...(values.kind && { kind: t(`events.${values.kind}`) }),
  };
}

function Operations({ operations, at }: { operations: OperationRecord[]; at: (iso: string | undefined) => string }) {
  const { t } = useTranslation();
  // extend: the new deadline; decide-graduation: the decision taken; reassign: the agency.
  const detailOf = (op: OperationRecord) =>
    op.op === 'extend' ? at(op.detail) : op.op === 'decide-graduation' ? t(`runGraduation.decisions.${op.detail}`) : op.detail;
  const labels = { title: t('run.operations'), empty: t('run.operationsEmpty'), what: t('run.what'), who: t('run.who'), when: t('run.when'), why: t('run.why') };
  const rows = operations.map((op) => ({
    what: `${t(`opNames.${op.op}`)}${op.stepKey ? ` (${op.stepKey})` : ''}${op.detail ? ` → ${detailOf(op)}` : ''}`,
    actor: op.actor,
    at: at(op.at),
    reason: op.reason,
  }));
  return <OperationsTable rows={rows} labels={labels} />;
}
