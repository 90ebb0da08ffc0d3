import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { graduationPlanV1 } from '../../domain/plans/graduation';
import type { ProgramPlan } from '../../domain/program-plan';
import { cohortCsv, cohortHousehold } from '../helpers/cohorts';
import { uniqueRolloutId } from '../helpers/households';
import { eventually } from '../../dev/http';
import { householdIs, runIdFor, waitForState } from '../helpers/runs';
import { startStack, type Stack } from '../../dev/stack';

describe('importing a cohort and previewing a rollout', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ temporalAddress: inject('temporalAddress') });
    // Runs started here wait at their first task: they stay active for the overlap checks.
    for (const agency of ['kemensos', 'kemenkop'] as const) await stack.sims.control[agency].setBehaviour({ silent: true });
  });
  afterAll(() => stack?.close());

  const publish = async (plan: ProgramPlan) => {
    const res = await stack.call('POST', '/v1/programs', plan);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  };
  const startActiveRun = async (household: ReturnType<typeof cohortHousehold>, programId: string) => {
    const res = await stack.call('POST', '/v1/runs', { rolloutId: uniqueRolloutId('earlier'), household, programId });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    await waitForState(stack, res.body.runId, (s) => s.steps[0]!.status === 'open');
    // The preview screens through visibility, which may trail the run's own record.
    await eventually(async () => ((await stack.client.workflow.count(`${householdIs(household)} AND ExecutionStatus = 'Running'`)).count >= 1 ? true : undefined), 20_000, 'the run listed');
    return res.body.runId as string;
  };

  it('reports every bad row of the file, with row numbers and fields', async () => {
    const good = cohortHousehold();
    const csv = [
      'no_kk;nik;nama;kode_wilayah;desil;status_kesejahteraan',
      `${good.familyCardNumber};${good.headNik};${good.headName};${good.region};1;extreme_poor`,
      `${good.familyCardNumber};${good.headNik};${good.headName};${good.region};1;extreme_poor`,
      `3509019999999999;3509013102850001;Budi;35.09.01.2001;1;poor`,
      `3509019999999998;3509014507850009;;35.09.01;x;poor`,
    ].join('\n');
    const res = await stack.upload('/v1/cohorts', csv, 'text/csv');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ rows: 4, valid: 1, invalid: 3, problems: { 'duplicate-household': 1, 'impossible-nik': 1, missing: 1, 'region-format': 1, malformed: 1 } });
    expect(res.body.invalidRows.map((r: { row: number; problems: { field: string; code: string }[] }) => [r.row, r.problems.map((p) => `${p.field}:${p.code}`)])).toEqual([
      [2, ['family_card_number:duplicate-household']],
      [3, ['head_nik:impossible-nik']],
      [4, ['head_name:missing', 'region_code:region-format', 'decile:malformed']],
    ]);
    expect((await stack.call('GET', `/v1/cohorts/${res.body.cohortId}`, undefined, 'viewer')).body.valid).toBe(1);
    // The same file again is the same cohort.
    expect((await stack.upload('/v1/cohorts', csv, 'text/csv')).body.cohortId).toBe(res.body.cohortId);
  });

  it('refuses a file it cannot read as a cohort (422: the body is text, its content no cohort), naming what is wrong', async () => {
    const noColumns = await stack.upload('/v1/cohorts', 'no_kk,nama\n1,2\n', 'text/csv');
    expect(noColumns.status).toBe(422);
    expect(noColumns.body.error.fields[0]).toMatchObject({ field: 'body.head_nik' });
    const wrongType = await stack.upload('/v1/cohorts', '<xml/>', 'application/xml');
    expect(wrongType.body.error.fields).toEqual([{ field: 'headers.content-type', message: 'must be text/csv or application/json' }]);
    expect((await stack.upload('/v1/cohorts', '[{"no_kk": ', 'application/json')).status).toBe(422);
    expect((await stack.upload('/v1/cohorts', '', 'text/csv')).body.error.fields).toEqual([{ field: 'body.file', message: 'the file is empty: a header row naming the columns is required' }]);
    expect((await stack.upload('/v1/cohorts', 'x', 'text/csv', 'viewer')).status).toBe(403);
  });

  it('previews each exclusion reason exactly and starts nothing', async () => {
    const stamp = Date.now().toString(36);
    const programId = `grad-jember-${stamp}`;
    const capitalId = `umi-${stamp}`;
    await publish({ ...graduationPlanV1, programId, version: 1, eligibility: { maxDecile: 2, welfareStatuses: ['extreme_poor', 'poor'], regions: ['35.09'] }, overlapPolicy: 'exclude' });
    await publish({ ...graduationPlanV1, programId: capitalId, version: 1, title: 'UMi capital', steps: graduationPlanV1.steps.filter((s) => s.kind === 'micro-capital') });
    const eligible = cohortHousehold();
    const richer = cohortHousehold({ decile: 5 });
    const graduated = cohortHousehold({ welfareStatus: 'stable' });
    const elsewhere = cohortHousehold({ region: '35.07.01.2001' });
    const enrolled = cohortHousehold();
    const inCapital = cohortHousehold();
    const enrolledRun = await startActiveRun(enrolled, programId);
    const capitalRun = await startActiveRun(inCapital, capitalId);
    const res = await stack.upload('/v1/cohorts', cohortCsv([eligible, richer, graduated, elsewhere, enrolled, inCapital]), 'text/csv');
    const preview = await stack.call('POST', '/v1/rollouts/preview', { cohortId: res.body.cohortId, programId });
    expect(preview.status).toBe(200);
    expect(preview.body.counts).toEqual({
      households: 6,
      eligible: 1,
      flagged: 0,
      excluded: 5,
      excludedBy: { 'decile-above-maximum': 1, 'welfare-status-not-allowed': 1, 'region-not-covered': 1, 'already-enrolled': 1, 'overlapping-program': 1 },
    });
    expect(preview.body.excluded).toEqual([
      { householdId: richer.familyCardNumber, reason: 'decile-above-maximum', detail: 'decile 5 above 2' },
      { householdId: graduated.familyCardNumber, reason: 'welfare-status-not-allowed', detail: 'stable not in extreme_poor, poor' },
      { householdId: elsewhere.familyCardNumber, reason: 'region-not-covered', detail: '35.07.01.2001 outside 35.09' },
      { householdId: enrolled.familyCardNumber, reason: 'already-enrolled', detail: `active run ${enrolledRun}` },
      { householdId: inCapital.familyCardNumber, reason: 'overlapping-program', detail: `active run ${capitalRun} of ${capitalId} shares micro-capital` },
    ]);
    // Under a "flag" policy the overlapping household is enrolled and flagged instead.
    await publish({ ...graduationPlanV1, programId, version: 2, eligibility: { maxDecile: 2, welfareStatuses: ['extreme_poor', 'poor'], regions: ['35.09'] }, overlapPolicy: 'flag' });
    const flagged = await stack.call('POST', '/v1/rollouts/preview', { cohortId: res.body.cohortId, programId, version: 2 });
    expect(flagged.body.counts).toMatchObject({ eligible: 2, flagged: 1, excluded: 4 });
    expect(flagged.body.flagged).toEqual([{ householdId: inCapital.familyCardNumber, reason: 'overlapping-program', detail: `active run ${capitalRun} of ${capitalId} shares micro-capital` }]);
    // Nothing was started by either preview.
    expect((await stack.client.workflow.count(householdIs(eligible))).count).toBe(0);
    // Started under the "flag" policy, the overlap is reported where the coordinator reads it: the progress and the report.
    const rolloutId = uniqueRolloutId('flagged');
    expect((await stack.call('POST', '/v1/rollouts', { rolloutId, cohortId: res.body.cohortId, programId, version: 2, reason: 'uji tumpang tindih' })).status).toBe(201);
    const progress = await eventually(async () => {
      const p = await stack.call('GET', `/v1/rollouts/${rolloutId}`, undefined, 'viewer');
      return p.body.starting?.allStarted ? p.body : undefined;
    }, 60_000, 'the flagged rollout started');
    expect(progress.starting).toMatchObject({ read: 6, started: 2, flagged: 1 });
    const report = await stack.text(`/v1/rollouts/${rolloutId}/report.csv`);
    const line = report.text.split('\n').find((l) => l.startsWith(`${inCapital.familyCardNumber},`));
    expect(line).toContain(`flagged: overlapping-program (active run ${capitalRun} of ${capitalId} shares micro-capital)`);
    expect(line).toContain(runIdFor(rolloutId, inCapital));
  }, 180_000);

  it('names the field of a preview or rollout that cannot be served', async () => {
    // What names nothing in the catalog or the cohort store is not found.
    const unknownCohort = await stack.call('POST', '/v1/rollouts/preview', { cohortId: 'c-00000000000000000000', programId: 'graduation' });
    expect(unknownCohort.status).toBe(404);
    expect(unknownCohort.body.error.fields.map((f: { field: string }) => f.field)).toEqual(['body.cohortId']);
    const res = await stack.upload('/v1/cohorts', cohortCsv([cohortHousehold()]), 'text/csv');
    const refusedId = uniqueRolloutId('x');
    const unknownProgram = await stack.call('POST', '/v1/rollouts', { rolloutId: refusedId, cohortId: res.body.cohortId, programId: 'nope' });
    expect(unknownProgram.status).toBe(404);
    expect(unknownProgram.body.error.fields.map((f: { field: string }) => f.field)).toEqual(['body.programId']);
    // Refused, nothing half-started: no rollout workflow, no record, and the id is free to use.
    await expect(stack.client.workflow.getHandle(`rollout:${refusedId}`).describe()).rejects.toThrow(/not found/i);
    expect((await stack.call('GET', `/v1/rollouts/${refusedId}`, undefined, 'viewer')).status).toBe(404);
    expect((await stack.records.pool.query('SELECT 1 FROM rollouts WHERE rollout_id = $1', [refusedId])).rowCount).toBe(0);
    const badId = await stack.call('POST', '/v1/rollouts', { rolloutId: 'Bad Id', cohortId: 'x', programId: 'graduation' });
    expect(badId.body.error.fields.map((f: { field: string }) => f.field).sort()).toEqual(['body.cohortId', 'body.rolloutId']);
    expect((await stack.call('POST', '/v1/rollouts', { rolloutId: uniqueRolloutId('x'), cohortId: res.body.cohortId, programId: 'graduation' }, 'viewer')).status).toBe(403);
  });
});
