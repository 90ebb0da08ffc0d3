import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { temporalCliPath } from '../dev/temporal-cli-path';
import { startDevServer } from '../dev/temporal-dev-server';
import { startTemporaryPostgres } from '../dev/embedded-postgres';
import { registerSearchAttributes } from '../temporal/register-search-attributes';
import { freePort } from '../dev/free-port';
import { makeHousehold } from './helpers/households';
import { graduationPlanV1 } from '../domain/plans/graduation';
import { ended, enrolmentIdFor, runIdFor, shortPlan, startRun, waitForState } from './helpers/runs';
import { startStack, type Stack } from '../dev/stack';
import { cohortHousehold, importCohort } from './helpers/cohorts';
import { eventually } from '../dev/http';
import { relapsesAfterGraduation, visitCourseOf } from '../agencies/visit-findings';
import { graduationCriteria } from '../domain/plans/graduation-criteria';
import type { ProgramPlan } from '../domain/program-plan';

/**
 * Records the history of runs through the current workflow code into test/histories/, for the
 * replay test that guards running histories against incompatible workflow changes.
 * Usage: npm run record-history -- <name>   (a happy run; a rejected, retried and skipped one; one
 * reminded, stuck, escalated, failed and retried by a manager, whose training is then reassigned;
 * one cancelled by a manager while its task is open; a rollout of two households paused and
 * resumed, one of its paused runs, and the program catalog after one publication)
 */
async function main(): Promise<void> {
  const name = process.argv[2] ?? 'household-run-v1';
  const server = await startDevServer({ port: await freePort() });
  const connection = await Connection.connect({ address: server.address });
  await registerSearchAttributes(connection, 'default');
  const postgres = await startTemporaryPostgres();
  const stack = await startStack({ temporalAddress: server.address, databaseUrl: postgres.url });
  try {
    const retried = makeHousehold();
    await stack.sims.control.kemnaker.setBehaviour({ rejectHouseholds: { [retried.familyCardNumber]: { mode: 'by-webhook', times: 1 } } });
    await stack.sims.control.kemenkop.setBehaviour({ rejectHouseholds: { [retried.familyCardNumber]: { mode: 'at-request', times: 0 } } });
    for (const [label, household] of [['happy', makeHousehold()], ['retried-and-skipped', retried]] as const) {
      const runId = await startRun(stack, `history-${label}`, household);
      await waitForState(stack, runId, ended);
      saveHistory(server.address, runId, `${name}-${label}`);
    }
    await recordOperatedRun(stack, server.address, name);
    await recordRollout(stack, server.address, name);
    await recordGraduation(stack, server.address, name);
  } finally {
    await stack.close();
    await connection.close();
    await server.stop();
    await postgres.stop();
  }
}

/**
 * A run whose step is reminded, stuck, escalated, then fails, is retried by a manager, and
 * completes; its silent training is reassigned to pemda (the kemnaker task withdrawn), which
 * finishes it. Then a run cancelled while its first task is open (withdrawn too).
 */
async function recordOperatedRun(stack: Stack, address: string, name: string): Promise<void> {
  await stack.sims.control.kemensos.setBehaviour({ silent: true });
  const plan = shortPlan(graduationPlanV1, { aid: { sla: 'PT2S', reminderShare: 0.5, escalateAfter: 'PT1S' } });
  const runId = await startRun(stack, 'history-operated', makeHousehold({ region: '35.07.01.2001' }), plan);
  await waitForState(stack, runId, (s) => (s.steps[0]!.attempts[0]?.notices?.length ?? 0) === 3);
  const event = (taskId: string, type: string, data: object) => ({ type, timestamp: new Date().toISOString(), data: { taskId, ...data } });
  await stack.webhook('kemensos', 'msg_history_failed', event(`${runId}:aid:1`, 'task.failed', { reason: 'bank down' }));
  await waitForState(stack, runId, (s) => s.steps[0]!.status === 'failed');
  await stack.call('POST', `/v1/runs/${encodeURIComponent(runId)}/steps/aid/retry`, { reason: 'bank back' }, 'manager');
  await waitForState(stack, runId, (s) => s.steps[0]!.attempts[1]?.deadline !== undefined);
  await stack.sims.control.kemnaker.setBehaviour({ silent: true });
  await stack.webhook('kemensos', 'msg_history_done', event(`${runId}:aid:2`, 'task.completed', { result: { amount: 1, transferReference: 'T' } }));
  await waitForState(stack, runId, (s) => s.steps[1]!.status === 'open');
  await stack.call('POST', `/v1/runs/${encodeURIComponent(runId)}/steps/training/reassign`, { reason: 'no intake', agency: 'pemda' }, 'manager');
  await waitForState(stack, runId, ended);
  saveHistory(address, runId, `${name}-operated`);

  const cancelled = await startRun(stack, 'history-cancelled', makeHousehold(), plan);
  await waitForState(stack, cancelled, (s) => s.steps[0]!.status === 'open');
  await stack.call('POST', `/v1/runs/${encodeURIComponent(cancelled)}/cancel`, { reason: 'moved away' }, 'manager');
  await waitForState(stack, cancelled, ended);
  saveHistory(address, cancelled, `${name}-cancelled`);
}

/** A rollout paused while its runs wait at their first task, then resumed; and the catalog. */
async function recordRollout(stack: Stack, address: string, name: string): Promise<void> {
  await stack.sims.control.kemnaker.setBehaviour({ silent: false });
  await stack.sims.control.kemensos.setBehaviour({ silent: true });
  const households = [cohortHousehold(), cohortHousehold()];
  const cohortId = await importCohort(stack, households);
  const rolloutId = 'history-rollout';
  // Version 1 (no criteria): its runs end at their last visit, as the recording waits for.
  await stack.call('POST', '/v1/rollouts', { rolloutId, cohortId, programId: 'graduation', version: 1, pace: { watchEvery: '1 second' } });
  const runIds = households.map((h) => runIdFor(rolloutId, h));
  for (const runId of runIds) await waitForState(stack, runId, (s) => s.steps[0]!.status === 'open');
  await stack.call('POST', `/v1/rollouts/${rolloutId}/pause`, { reason: 'budget revision' });
  for (const runId of runIds) await waitForState(stack, runId, (s) => s.paused === true);
  await stack.sims.control.kemensos.setBehaviour({ silent: false });
  for (const runId of runIds) {
    const data = { taskId: `${runId}:aid:1`, result: { amount: 1, transferReference: 'T' } };
    await stack.webhook('kemensos', `msg_history_${runId.slice(-6)}`, { type: 'task.completed', timestamp: new Date().toISOString(), data });
  }
  await stack.call('POST', `/v1/rollouts/${rolloutId}/resume`, { reason: 'budget approved' });
  for (const runId of runIds) await waitForState(stack, runId, ended);
  await eventually(async () => ((await stack.call('GET', `/v1/rollouts/${rolloutId}`)).body.status === 'completed' ? true : undefined), 60_000);
  saveHistory(address, runIds[0]!, `${name}-paused`);
  const version = name.split('-').at(-1);
  saveHistory(address, `rollout:${rolloutId}`, `rollout-${version}`);
  const plan = { ...graduationPlanV1, programId: 'history-umi', version: 1, steps: graduationPlanV1.steps.filter((s) => s.kind === 'micro-capital') };
  await stack.call('POST', '/v1/programs', plan);
  await stack.client.workflow.getHandle(`program-catalog:${stack.taskQueue}`).terminate('recorded');
  saveHistory(address, `program-catalog:${stack.taskQueue}`, `program-catalog-${version}`);
}

/**
 * A run under graduation criteria whose decisions a manager takes: extended, then graduated, then
 * visited after graduation; and the enrolment workflow that held the household for it.
 */
async function recordGraduation(stack: Stack, address: string, name: string): Promise<void> {
  const plan: ProgramPlan = { ...shortPlan(graduationPlanV1), graduation: { ...graduationCriteria, approval: { required: true, sla: 'PT1S' }, afterGraduation: ['PT1S'] } };
  let household = makeHousehold({ welfareStatus: 'poor' });
  while (visitCourseOf(household.familyCardNumber) !== 'ready-after-extension' || relapsesAfterGraduation(household.familyCardNumber)) household = makeHousehold({ welfareStatus: 'poor' });
  const runId = await startRun(stack, 'history-graduation', household, plan);
  for (const [i, decision] of (['extend', 'graduate'] as const).entries()) {
    await waitForState(stack, runId, (s) => s.graduation?.assessments[i]?.proposed !== undefined, 60_000);
    const res = await stack.call('POST', `/v1/runs/${encodeURIComponent(runId)}/graduation/decision`, { decision, reason: 'recorded for the replay test' }, 'manager');
    if (res.status !== 200) throw new Error(`decision refused: ${JSON.stringify(res.body)}`);
  }
  await waitForState(stack, runId, ended, 60_000);
  saveHistory(address, runId, `${name}-graduated`);
  const enrolment = enrolmentIdFor(plan.programId, household);
  await eventually(async () => ((await stack.client.workflow.getHandle(enrolment).describe()).status.name === 'COMPLETED' ? true : undefined), 30_000, 'the enrolment released');
  saveHistory(address, enrolment, `enrolment-${name.replace(/^household-run-/, '')}`);
}

function saveHistory(address: string, runId: string, label: string): void {
  // The CLI's JSON is the canonical history format (as the Temporal UI downloads it).
  const json = execFileSync(temporalCliPath(), ['workflow', 'show', '--address', address, '--workflow-id', runId, '--output', 'json']);
  const file = path.resolve(__dirname, 'histories', `${label}.json`);
  writeFileSync(file, json);
  console.log(`recorded ${JSON.parse(json.toString()).events.length} events to ${file}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
