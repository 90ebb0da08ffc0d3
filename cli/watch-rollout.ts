import { MultiBar, Presets } from 'cli-progress';
import { dataOrThrow, type ApiClient } from './api-client';
import type { paths } from '../console/src/api/schema';

/** GET /v1/rollouts/{id}'s answer, as the generated client types it. */
export type Progress = paths['/v1/rollouts/{id}']['get']['responses'][200]['content']['application/json'];

const ended = ['completed', 'cancelled'];

/**
 * Two bars: households screened and started, then runs finished; until every run has finished.
 * A graduated household whose only remaining steps are the visits months after graduation has
 * finished what there is to watch: it counts as finished, and the line says how many.
 */
export async function watchRollout(api: ApiClient, rolloutId: string, everyMs = 2_000): Promise<Progress> {
  const bars = new MultiBar(
    { format: ' {label} |{bar}| {value}/{total} {detail}', hideCursor: true, clearOnComplete: false, noTTYOutput: true, notTTYSchedule: 10_000 },
    Presets.shades_classic,
  );
  const started = bars.create(1, 0, { label: 'started ', detail: '' });
  const finished = bars.create(1, 0, { label: 'finished', detail: '' });
  try {
    for (;;) {
      const p = dataOrThrow(await api.GET('/v1/rollouts/{id}', { params: { path: { id: rolloutId } } }));
      const excluded = Object.values(p.starting.excluded).reduce((a, b) => a + b, 0);
      started.setTotal(Math.max(p.households, 1));
      started.update(p.starting.read, { detail: `${p.starting.started} started, ${excluded} excluded (${p.status})` });
      const followingUp = p.graduation?.followingUp ?? 0;
      const done = p.runs.completed + p.runs.rejected + p.runs.failed + p.runs.cancelled + followingUp;
      finished.setTotal(Math.max(p.starting.started, 1));
      const graduated = p.graduation ? `, ${p.graduation.graduated} graduated (${followingUp} in follow-up after graduation), ${p.graduation.exited} exited` : '';
      finished.update(done, { detail: `${p.runs.completed} completed${graduated}, ${p.runs.rejected} rejected, ${p.runs.stuck} stuck` });
      // Every run it started has finished: the rollout itself notices at its next check.
      if (ended.includes(p.status) || (p.starting.allStarted && done >= p.starting.started)) return p;
      await new Promise((r) => setTimeout(r, everyMs));
    }
  } finally {
    bars.stop();
  }
}
