import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { readHouseholdBatch } from '../../cohort/cohort-households';
import { runIdOf } from '../../domain/ids';
import type { HouseholdKeyOf } from '../../lib/household-pseudonym';
import type { WorkerMetrics } from '../../lib/metrics';
import { addCounts, noCounts, type RolloutCounts, type StartBatchInput, type StartBatchResult } from '../../domain/rollout';
import type { RolloutActivities } from '../../domain/activity-contracts';
import { excludeHeld, screenBatch, type Exclusion } from '../../domain/screening';
import { startHouseholdRun } from '../../temporal/start-household-run';
import { screeningFactsOf } from '../../temporal/visibility/active-runs';
import { rolloutRunsQuery } from '../../domain/rollout-runs-query';
import { visibilityPages } from '../../temporal/visibility/run-page';
import { untilListed } from '../../temporal/visibility/until-listed';
import { rolloutPauseSignal } from '../../workflows/household-run-messages';
import { withChildSignal } from '../child-signal';
import { whileHeartbeating } from '../while-heartbeating';
import type { RecordsDb } from '../../records/records-db';
import { writeBatchExclusions } from '../../records/rollout-exclusions';

/** Where a batch got to: heartbeated, so a retry after a crash resumes there. */
interface BatchProgress {
  offset: number;
  counts: RolloutCounts;
  exclusions: Exclusion[];
}

const concurrentStarts = 8;
// A signal is answered once the server has it, not after the run acts: more can be in flight.
const concurrentSignals = 32;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface RolloutActivityDeps {
  client: Client;
  namespace: string;
  taskQueue: string;
  /** The records store: the cohorts' households a batch reads, and the exclusions it writes. */
  records: RecordsDb;
  /** Names each household's run and lock by its pseudonym, never its KK. */
  householdKeyOf: HouseholdKeyOf;
  /** Counts the runs each batch starts. */
  metrics?: WorkerMetrics;
}

export function createRolloutActivities(deps: RolloutActivityDeps): RolloutActivities {
  return {
    /**
     * Screens and starts one batch of the cohort. Every start uses the run's deterministic id,
     * so a household started before a crash is found, not started again; and goes through the
     * program's enrolment lock, so a household another rollout's run holds (not yet visible to
     * the screening) is excluded as already enrolled.
     */
    async startRolloutBatch(input: StartBatchInput): Promise<StartBatchResult> {
      const context = Context.current();
      const resumed = context.info.heartbeatDetails as BatchProgress | undefined;
      const progress: BatchProgress = resumed ?? { offset: input.fromOffset, counts: noCounts(), exclusions: [] };
      // Heartbeated all along (the reads, the visibility look-ups, the starts and the pacing): a
      // dead worker's batch is retried within the heartbeat timeout, from the last position reached.
      return whileHeartbeating(() => progress, async () => {
        // The rollout lists and counts its runs through visibility (to pause, cancel, see them end):
        // the batch ends only once the runs it started or found are listed there. (Runs before the
        // offset a retry resumes from were started before the heartbeat that carried it, long since.)
        const runsHere: string[] = [];
        const batch = await readHouseholdBatch(deps.records, input.cohortId, progress.offset, Math.max(0, input.pace.batchSize - progress.counts.read));
        const { active, receipts } = await screeningFactsOf(
          deps.client,
          deps.namespace,
          input.plan,
          batch.households.map((h) => h.household.familyCardNumber),
          deps.householdKeyOf,
        );
        const interval = 1_000 / input.pace.startsPerSecond;
        for (let i = 0; i < batch.households.length; i += concurrentStarts) {
          // A worker shutting down hands the batch on: the retry resumes from the last heartbeat.
          if (context.cancellationSignal.aborted) throw context.cancellationSignal.reason;
          const chunk = batch.households.slice(i, i + concurrentStarts);
          const paced = sleep(interval * chunk.length);
          const screened = screenBatch(input.plan, input.rolloutId, chunk.map((h) => h.household), active, receipts);
          const heldBy = new Map<string, string>();
          // Cancelled (the worker shutting down), the starts under way give up; the retry asks again.
          // Every call of the starts under way listens to the activity's cancellation, through a signal of the chunk's own.
          await withChildSignal(context.cancellationSignal, concurrentStarts * 8, (signal) => deps.client.withAbortSignal(signal, () =>
            Promise.all(
              screened.toStart.map(async (household) => {
                const householdKey = deps.householdKeyOf(household.familyCardNumber);
                const runId = runIdOf(input.rolloutId, householdKey);
                const started = await startHouseholdRun(deps.client, deps.taskQueue, {
                  runId,
                  rolloutId: input.rolloutId,
                  household,
                  householdKey,
                  plan: input.plan,
                  startedBy: input.startedBy,
                });
                if (typeof started === 'object') heldBy.set(household.familyCardNumber, started.heldBy);
                else runsHere.push(runId);
                // Only a run this call started: one a retried batch finds already started ('exists') was counted then.
                if (started === 'started') deps.metrics?.runStarted();
              }),
            ),
          ));
          const decided = excludeHeld(screened, heldBy);
          progress.counts = addCounts(progress.counts, decided.counts);
          progress.exclusions.push(...decided.exclusions);
          progress.offset = chunk.at(-1)!.endOffset;
          context.heartbeat(progress);
          await paced;
        }
        if (!(await untilListed(deps.client, runsHere, { signal: context.cancellationSignal }))) {
          context.log.warn('runs started by a rollout batch are not yet listed by visibility after 60 s; going on', { rolloutId: input.rolloutId, runs: runsHere.length });
        }
        // Sealed: each names a household by KK. A retried batch replaces what it wrote.
        await writeBatchExclusions(deps.records, deps.householdKeyOf, input.rolloutId, input.fromOffset, progress.exclusions);
        return { counts: progress.counts, nextOffset: batch.nextOffset, end: batch.end };
      });
    },

    /** Tells every running run of the rollout that it is paused or resumed. */
    async tellRunsOfPause(input: { rolloutId: string; paused: boolean; seq: number }): Promise<number> {
      let told = 0;
      return whileHeartbeating(() => told, async () => {
        for await (const runs of visibilityPages(deps.client, deps.namespace, rolloutRunsQuery(input.rolloutId, 'running'), 500)) {
          for (let i = 0; i < runs.length; i += concurrentSignals) {
            await Promise.all(
              runs.slice(i, i + concurrentSignals).map(async (run) => {
                try {
                  await deps.client.workflow.getHandle(run.runId).signal(rolloutPauseSignal, { paused: input.paused, seq: input.seq });
                  told += 1;
                } catch (err) {
                  // Ended since it was listed: nothing to tell.
                  if (!(err instanceof WorkflowNotFoundError)) throw err;
                }
              }),
            );
          }
        }
        return told;
      });
    },

    async countOpenRuns(rolloutId: string): Promise<number> {
      return whileHeartbeating(() => undefined, async () => (await deps.client.workflow.count(rolloutRunsQuery(rolloutId, 'running'))).count);
    },
  };
}
