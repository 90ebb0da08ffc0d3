import { textIn } from '../../../domain/label';
import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useOutletContext, useParams } from 'react-router';
import { formatDateTime, type DisplayLanguage } from '../../../domain/display-format';
import { ApiError, dataOrThrow } from '../api/api-error';
import { api } from '../api/client';
import type { paths } from '../api/schema';
import type { SessionAnswer } from '../api/session';
import { CountList } from '../components/count-list';
import { LoadState } from '../components/load-state';
import { RolloutControlDialog, rolloutControls, type RolloutControl } from '../components/rollout-control-dialog';
import { RolloutFunnel, type FunnelStage } from '../components/rollout-funnel';
import { reachedByStep, RolloutStepProgress, type RolloutStep } from '../components/rollout-step-progress';
import { Fact } from '../components/field';
import { OperationsTable } from '../components/operations-table';
import { PersonalDataReportDialog } from '../components/personal-data-report-dialog';
import { RolloutGraduation } from '../components/rollout-graduation';

// recharts is loaded only when a rollout's page shows its chart.
const RolloutWelfareChart = lazy(() => import('../components/rollout-welfare-chart'));

type Progress = paths['/v1/rollouts/{id}']['get']['responses'][200]['content']['application/json'];

const welfareStatuses = ['extreme_poor', 'poor', 'vulnerable', 'stable'] as const;
const ended = new Set(['completed', 'cancelled']);
/** Which controls apply to a rollout in each status (the API still decides). */
const applicable: Record<string, readonly RolloutControl[]> = {
  starting: ['pause', 'cancel'],
  running: ['pause', 'cancel'],
  paused: ['resume', 'cancel'],
};

/** One rollout: its status, progress per step, outcomes, funnel, welfare before and after, graduation by regency; coordinators and managers pause, resume or cancel it. */
export function RolloutPage() {
  const { t, i18n } = useTranslation();
  const language = i18n.language as DisplayLanguage;
  const { principal, personalData } = useOutletContext<SessionAnswer>();
  const rolloutId = useParams().rolloutId ?? '';
  const [pending, setPending] = useState<RolloutControl>();
  const [done, setDone] = useState<string>();
  const [askingWhy, setAskingWhy] = useState(false);
  const progress = useQuery({
    queryKey: ['rollout', rolloutId],
    queryFn: async () =>
      dataOrThrow(
        await api.GET('/v1/rollouts/{id}', {
          params: { path: { id: rolloutId } },
        }),
      ),
    // Counted from visibility: refreshed while the rollout goes on, no more once it has ended.
    refetchInterval: (query) => (query.state.data && ended.has(query.state.data.status) ? false : 3_000),
  });
  const programId = progress.data?.programId;
  const version = progress.data?.version;
  // The pinned plan gives each step's title and agency, in order; the keys alone do when it cannot be read.
  const plan = useQuery({
    queryKey: ['program', programId, version],
    enabled: Boolean(programId && version),
    staleTime: Infinity,
    queryFn: async () =>
      dataOrThrow(
        await api.GET('/v1/programs/{programId}/versions/{version}', {
          params: { path: { programId: programId!, version: version! } },
        }),
      ),
  });

  if (progress.error instanceof ApiError && progress.error.status === 404) return <p role="alert">{t('rollouts.rollout.notFound', { rolloutId })}</p>;
  if (!progress.data) return <LoadState query={progress} />;
  const p = progress.data;
  const steps: RolloutStep[] = plan.data
    ? plan.data.plan.steps.map((s) => ({
        key: s.key,
        title: textIn(s.title, language),
        agency: s.agency,
      }))
    : Object.keys(p.runs.byStep).map((key) => ({
        key,
        title: key,
        agency: t('common.none'),
      }));
  // A rollout spans many regions: its own times are shown in WIB, labelled so.
  const at = (iso: string) => formatDateTime(iso, language);
  const canControl = principal.role === 'coordinator' || principal.role === 'manager';
  const controls = canControl ? rolloutControls.filter((c) => applicable[p.status]?.includes(c)) : [];

  return (
    <article>
      <p>
        <Link to="/rollouts">{t('rollouts.rollout.back')}</Link>
      </p>
      <h1>{t('rollouts.rollout.title', { rolloutId })}</h1>
      <dl className="facts">
        <Fact term={t('rollouts.rollout.status')}>{t(`rollouts.rolloutStatus.${p.status}`, { defaultValue: p.status })}</Fact>
        <Fact term={t('rollouts.rollout.program')}>
          {t('rollouts.programVersion', {
            programId: p.programId,
            version: p.version,
          })}
        </Fact>
        <Fact term={t('rollouts.rollout.cohort')}>{p.cohortId}</Fact>
        <Fact term={t('rollouts.rollout.households')}>{p.households}</Fact>
        <Fact term={t('rollouts.rollout.startedBy')}>{p.startedBy}</Fact>
        <Fact term={t('rollouts.rollout.startedAt')}>{at(p.startedAt)}</Fact>
        {p.finishedAt && <Fact term={t('rollouts.rollout.finishedAt')}>{at(p.finishedAt)}</Fact>}
      </dl>
      {!ended.has(p.status) && <p className="hint">{t('rollouts.rollout.refreshing')}</p>}
      <p>
        {p.runs.stuck > 0 ? (
          <Link to={`/stuck?rollout=${encodeURIComponent(rolloutId)}`}>{t('rollouts.rollout.stuck', { count: p.runs.stuck })}</Link>
        ) : (
          t('rollouts.rollout.noStuck')
        )}
      </p>
      {p.runs.stuck > 0 && <RolloutStuckCounts rolloutId={rolloutId} />}
      {/* The report is for coordinators and managers; a plain link carries the session cookie. Personal data in full only with the right, and a reason. */}
      {canControl && (
        <>
          <p className="row-actions" style={{ alignItems: 'center', gap: '1rem' }}>
            <a href={`/v1/rollouts/${encodeURIComponent(rolloutId)}/report.csv`} download aria-describedby="report-masked">
              {t('rollouts.rollout.report')}
            </a>
            {personalData && (
              <button type="button" onClick={() => setAskingWhy(true)}>
                {t('rollouts.rollout.reportWithPersonalData')}
              </button>
            )}
          </p>
          <p id="report-masked" className="hint">
            {t('rollouts.rollout.reportMasked')}
          </p>
        </>
      )}
      {controls.length > 0 && (
        <div role="group" aria-label={t('rollouts.rollout.actions')} className="row-actions">
          {controls.map((op) => (
            <button key={op} type="button" onClick={() => setPending(op)}>
              {t(`rollouts.control.${op}`)}
            </button>
          ))}
        </div>
      )}
      {done && <p role="status">{done}</p>}

      <h2>{t('rollouts.steps.title')}</h2>
      <RolloutStepProgress steps={steps} byStep={p.runs.byStep} completed={p.runs.completed} pastPlannedSteps={p.runs.pastPlannedSteps} total={p.runs.total} />

      <div className="counts">
        <CountList
          title={t('rollouts.outcomes.title')}
          counts={Object.fromEntries((['running', 'completed', 'rejected', 'failed', 'cancelled', 'stuck'] as const).map((o) => [t(`rollouts.outcomes.${o}`), p.runs[o]]))}
        />
      </div>

      <h2>{t('rollouts.funnel.title')}</h2>
      <RolloutFunnel title={t('rollouts.funnel.title')} stages={funnelStages(p, steps, t)} />

      <h2>{t('rollouts.welfare.title')}</h2>
      <Welfare welfare={p.welfare} />

      {p.graduation && (
        <RolloutGraduation
          rolloutId={rolloutId}
          whole={p.graduation}
          regencies={p.regencies}
          criteria={
            plan.data?.plan.graduation?.criteria.map((c) => ({ key: c.key, label: textIn(c.label, language) })) ??
            Object.keys(p.graduation.criteriaMet).map((key) => ({ key, label: key }))
          }
          refetchInterval={ended.has(p.status) ? false : 3_000}
        />
      )}

      <h2>{t('rollouts.operations.title')}</h2>
      <Operations operations={p.operations} at={at} />

      {askingWhy && (
        <PersonalDataReportDialog
          rolloutId={rolloutId}
          onClose={() => setAskingWhy(false)}
          onDone={() => {
            setDone(t('rollouts.personalData.done', { rolloutId }));
            setAskingWhy(false);
          }}
        />
      )}
      {pending && (
        <RolloutControlDialog
          rolloutId={rolloutId}
          op={pending}
          onClose={() => setPending(undefined)}
          onDone={(op) => {
            setDone(
              t('rollouts.control.done', {
                op: t(`rollouts.control.${op}`),
                rolloutId,
              }),
            );
            setPending(undefined);
          }}
        />
      )}
    </article>
  );
}

function funnelStages(p: Progress, steps: readonly RolloutStep[], t: (key: string, values?: Record<string, unknown>) => string): FunnelStage[] {
  const excluded = Object.entries(p.starting.excluded).filter(([, n]) => n > 0);
  const excludedTotal = excluded.reduce((sum, [, n]) => sum + n, 0);
  const reasons = excluded
    .map(([reason, count]) =>
      t('rollouts.exclusion.count', {
        reason: t(`rollouts.exclusion.${reason}`, { defaultValue: reason }),
        count,
      }),
    )
    .join(', ');
  const reached = reachedByStep(steps, p.runs.byStep, p.runs.completed, p.runs.pastPlannedSteps);
  return [
    { key: 'cohort', label: t('rollouts.funnel.cohort'), count: p.households },
    // Of the households read so far (all of them once every run is started).
    {
      key: 'eligible',
      label: t('rollouts.funnel.eligible'),
      count: p.starting.read - excludedTotal,
      ...(reasons && { note: t('rollouts.funnel.excluded', { reasons }) }),
    },
    {
      key: 'started',
      label: t('rollouts.funnel.started'),
      count: p.starting.started,
      ...(p.starting.flagged > 0 && {
        note: t('rollouts.funnel.flagged', { count: p.starting.flagged }),
      }),
    },
    ...steps.map((s, i) => ({
      key: `step:${s.key}`,
      label: t('rollouts.funnel.step', { index: i + 1, title: s.title }),
      count: reached[i] ?? 0,
    })),
    {
      key: 'completed',
      label: t('rollouts.funnel.completed'),
      count: p.runs.completed,
    },
  ];
}

function Welfare({ welfare }: { welfare: Progress['welfare'] }) {
  const { t } = useTranslation();
  const settled = welfare.completedRuns + welfare.graduatedFollowingUp;
  if (settled === 0) return <p>{t('rollouts.welfare.none')}</p>;
  const bars = welfareStatuses.map((s) => ({
    status: t(`welfareStatus.${s}`),
    before: welfare.before[s] ?? 0,
    after: welfare.after[s] ?? 0,
  }));
  const summary = (side: 'before' | 'after') => bars.map((b) => `${b.status} ${b[side]}`).join(', ');
  return (
    <figure style={{ margin: 0 }}>
      <figcaption>{t('rollouts.welfare.intro', { count: settled })}</figcaption>
      <Suspense fallback={<p aria-busy="true">{t('rollouts.welfare.loadingChart')}</p>}>
        <RolloutWelfareChart
          bars={bars}
          beforeLabel={t('rollouts.welfare.before')}
          afterLabel={t('rollouts.welfare.after')}
          label={t('rollouts.welfare.chartLabel', {
            before: summary('before'),
            after: summary('after'),
          })}
        />
      </Suspense>
      <table aria-label={t('rollouts.welfare.title')} style={{ maxWidth: '36rem' }}>
        <thead>
          <tr>
            <th scope="col">{t('rollouts.welfare.status')}</th>
            <th scope="col">{t('rollouts.welfare.before')}</th>
            <th scope="col">{t('rollouts.welfare.after')}</th>
          </tr>
        </thead>
        <tbody>
          {bars.map((b) => (
            <tr key={b.status}>
              <th scope="row">{b.status}</th>
              <td>{b.before}</td>
              <td>{b.after}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

function Operations({ operations, at }: { operations: Progress['operations']; at: (iso: string) => string }) {
  const { t } = useTranslation();
  const labels = { title: t('rollouts.operations.title'), empty: t('rollouts.operations.empty'), what: t('rollouts.operations.what'), who: t('rollouts.operations.who'), when: t('rollouts.operations.when'), why: t('rollouts.operations.why') };
  const rows = operations.map((op) => ({ what: t(`rollouts.control.opNames.${op.action}`, { defaultValue: op.action }), actor: op.actor, at: at(op.at), reason: op.reason }));
  return <OperationsTable rows={rows} labels={labels} />;
}

/** Where the rollout's stuck steps are: counted by agency and by regency (one page of one row: the counts cover them all). */
function RolloutStuckCounts({ rolloutId }: { rolloutId: string }) {
  const { t } = useTranslation();
  const stuck = useQuery({
    queryKey: ['stuck', { rollout: rolloutId, pageSize: 1 }],
    queryFn: async () => dataOrThrow(await api.GET('/v1/stuck', { params: { query: { rollout: rolloutId, pageSize: 1, offset: 0 } } })),
    refetchInterval: 10_000,
  });
  if (!stuck.data) return null;
  return (
    <div className="counts">
      <CountList title={t('stuck.countsByAgency')} counts={stuck.data.counts.byAgency} />
      <CountList title={t('stuck.countsByRegency')} counts={stuck.data.counts.byRegion} />
    </div>
  );
}
