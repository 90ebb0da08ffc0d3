import { startRun as startRunThroughApi } from '../api/runs/start-run';
import { agencies } from '../domain/agency';
import type { Household } from '../domain/household';
import { graduationPlan } from '../domain/plans/graduation';
import { shortPlan } from '../dev/short-plan';
import type { Stack } from '../dev/stack';
import { createLogger } from '../lib/logger';

/** Six regencies in East and Central Java, for runs to be spread over. */
export const benchRegencies = ['35.07', '35.08', '35.09', '35.10', '33.01', '33.02'];
/** Starts at a time: each goes through its household's enrolment workflow on the stack's one worker, and more overrun the API's 30-second start limit. */
const concurrency = 50;

export interface Fill {
  runs: number;
  /** Every n-th run gets a 1-second SLA at its first step and becomes stuck; the others wait within a 14-day one. */
  stuckEvery: number;
  /** The first digit of the synthetic KKs, so two fills never share a household. */
  kkDigit: string;
  rolloutPrefix: string;
  /** The regency of run n, from six in East and Central Java. */
  regencyOf?: (n: number) => string;
  onProgress?: (started: number) => void;
}

/**
 * What the benchmarks measure against: every agency silent, so each run waits at its first step,
 * every `stuckEvery`-th of them stuck past a 1-second SLA; started through the API's own start
 * (screening and enrolment included), then waited for until visibility shows them all stuck.
 * Answers how many are stuck.
 */
export async function fillRuns(stack: Stack, fill: Fill): Promise<number> {
  for (const agency of agencies) await stack.sims.control[agency].setBehaviour({ silent: true });
  const quick = shortPlan(graduationPlan, { aid: { sla: 'PT1S' } });
  const waiting = shortPlan(graduationPlan, { aid: { sla: 'P14D' } });
  const regencyOf = fill.regencyOf ?? ((n: number) => benchRegencies[n % benchRegencies.length]!);
  const deps = { client: stack.client, namespace: 'default', taskQueue: stack.taskQueue, logger: createLogger('silent', 'bench') } as Parameters<typeof startRunThroughApi>[0];
  for (let i = 0; i < fill.runs; i += concurrency) {
    await Promise.all(
      Array.from({ length: Math.min(concurrency, fill.runs - i) }, (_, j) => {
        const n = i + j;
        const household: Household = {
          familyCardNumber: `${fill.kkDigit}${String(n).padStart(15, '0')}`,
          headNik: '3509014507850003',
          headName: 'Bench Household',
          region: `${regencyOf(n)}.01.2001`,
          decile: 1,
          welfareStatus: 'extreme_poor',
        };
        return startRunThroughApi(deps, { rolloutId: `${fill.rolloutPrefix}-${n % 4}`, household, plan: n % fill.stuckEvery === 0 ? quick : waiting }, 'bench', 'coordinator', 'national');
      }),
    );
    fill.onProgress?.(Math.min(i + concurrency, fill.runs));
  }
  const stuck = Math.ceil(fill.runs / fill.stuckEvery);
  for (;;) {
    const { count } = await stack.client.workflowService.countWorkflowExecutions({ namespace: 'default', query: `Stuck = true AND ExecutionStatus = 'Running'` });
    if (Number(count) >= stuck) return stuck;
    await new Promise((r) => setTimeout(r, 2_000));
  }
}
