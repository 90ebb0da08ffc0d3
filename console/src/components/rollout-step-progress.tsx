import { useTranslation } from 'react-i18next';

export interface RolloutStep {
  key: string;
  title: string;
  agency: string;
}

/**
 * Runs that have reached each step (at it now, at a later step, or completed), of all the
 * rollout's runs. The API counts running runs by their current step; a run that ended otherwise
 * (rejected, failed, cancelled) is not placed on a step, since visibility does not say where it
 * stopped: it shows in the outcome counts. A run past the plan's steps (an extension's visits,
 * a graduation decision, visits after graduation) has reached every one.
 */
export function reachedByStep(steps: readonly RolloutStep[], byStep: Record<string, number>, completed: number, pastPlannedSteps = 0): number[] {
  const current = steps.map((s) => byStep[s.key] ?? 0);
  return steps.map((_, i) => completed + pastPlannedSteps + current.slice(i).reduce((a, b) => a + b, 0));
}

/** A progress bar per step of the plan, in the plan's order. */
export function RolloutStepProgress({ steps, byStep, completed, pastPlannedSteps, total }: { steps: readonly RolloutStep[]; byStep: Record<string, number>; completed: number; pastPlannedSteps: number; total: number }) {
  const { t } = useTranslation();
  const reached = reachedByStep(steps, byStep, completed, pastPlannedSteps);
  return (
    <ol className="step-progress">
      {steps.map((step, i) => {
        const label = t('rollouts.steps.bar', {
          index: i + 1,
          title: step.title,
        });
        return (
          <li key={step.key}>
            <div>{label}</div>
            <progress aria-label={label} value={reached[i]} max={Math.max(total, 1)} style={{ width: '100%', maxWidth: '36rem' }} />
            <div className="hint">
              {t('rollouts.steps.detail', {
                reached: reached[i],
                total,
                current: byStep[step.key] ?? 0,
                agency: step.agency,
              })}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
