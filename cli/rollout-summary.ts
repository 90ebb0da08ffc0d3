import { formatDateTime } from '../domain/display-format';
import { zoneOfRegion } from '../domain/region-zone';
import type { Progress } from './watch-rollout';

const listed = (counts: Record<string, number>) =>
  Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([key, n]) => `${key} ${n}`)
    .join(', ') || 'none';

/** `sinergi status`: a rollout's progress as a coordinator reads it, a few lines (--json for the API's whole answer). */
export function rolloutSummary(p: Progress): string {
  // Times in the zone of the cohort's regions when they share one (WIB otherwise, and said).
  const zonesOf = new Set(p.regencies.map((r) => zoneOfRegion(r.regency)?.label ?? 'WIB'));
  const region = zonesOf.size === 1 ? p.regencies[0]?.regency : undefined;
  const when = (at: string) => formatDateTime(at, 'en', region);
  const excluded = Object.values(p.starting.excluded).reduce((a, b) => a + b, 0);
  const lines = [
    `rollout ${p.rolloutId}: ${p.programId} v${p.version}, ${p.status}${p.finishedAt ? ` (ended ${when(p.finishedAt)})` : ''}; started ${when(p.startedAt)} by ${p.startedBy}`,
    `households ${p.households}${p.regions ? ` in ${p.regions.join(', ')}` : ''}: ${p.starting.read} screened, ${p.starting.started} started, ${excluded} excluded${excluded ? ` (${listed(p.starting.excluded)})` : ''}, ${p.starting.flagged} flagged${p.starting.allStarted ? '' : ' (still starting)'}`,
    `runs: ${p.runs.running} running (${p.runs.stuck} stuck), ${p.runs.completed} completed, ${p.runs.rejected} rejected, ${p.runs.failed} failed, ${p.runs.cancelled} cancelled`,
    `running by step: ${listed({ ...p.runs.byStep, 'past the planned steps': p.runs.pastPlannedSteps })}`,
  ];
  if (p.graduation) {
    const g = p.graduation;
    lines.push(`graduation: ${g.decided} decided, ${g.graduated} graduated (${g.followingUp} in follow-up, ${g.relapsed} relapsed), ${g.extended} extended, ${g.exited} exited`);
  }
  if (p.welfare.completedRuns + p.welfare.graduatedFollowingUp > 0) lines.push(`welfare before: ${listed(p.welfare.before)}; after: ${listed(p.welfare.after)}`);
  for (const o of p.operations) lines.push(`${o.action} on ${when(o.at)} by ${o.actor}: ${o.reason}`);
  return lines.join('\n');
}
