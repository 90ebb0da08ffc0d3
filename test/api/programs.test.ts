import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { graduationPlan } from '../../domain/plans/graduation';
import type { ProgramPlan } from '../../domain/program-plan';
import { makeHousehold, uniqueRolloutId } from '../helpers/households';
import { getRun } from '../helpers/runs';
import { startStack, type Stack } from '../../dev/stack';

describe('the program catalog', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ temporalAddress: inject('temporalAddress') });
  });
  afterAll(() => stack?.close());

  const capitalOnly = (programId: string, version: number, title = 'Micro-capital for graduates'): ProgramPlan => ({
    programId,
    version,
    title,
    steps: [graduationPlan.steps.find((s) => s.kind === 'micro-capital')!],
    eligibility: { maxDecile: 4, welfareStatuses: ['poor', 'vulnerable'] },
    overlapPolicy: 'flag',
  });

  it('lists the shipped graduation plan', async () => {
    const res = await stack.call('GET', '/v1/programs', undefined, 'viewer');
    expect(res.status).toBe(200);
    expect(res.body.programs).toContainEqual(expect.objectContaining({ programId: 'graduation', latest: expect.any(Number) }));
  });

  it('publishes versions one after another, durably, and refuses gaps, changed content and bad plans', async () => {
    const programId = `umi-${Date.now().toString(36)}`;
    const v1 = await stack.call('POST', '/v1/programs', capitalOnly(programId, 1));
    expect(v1.status).toBe(201);
    expect(v1.body).toMatchObject({ publishedBy: 'test-coordinator', plan: { programId, version: 1, overlapPolicy: 'flag' } });
    // The same plan again is the entry already there; other content under the same version is not.
    expect((await stack.call('POST', '/v1/programs', capitalOnly(programId, 1))).body.publishedAt).toBe(v1.body.publishedAt);
    expect((await stack.call('POST', '/v1/programs', capitalOnly(programId, 1, 'Other title'))).status).toBe(409);
    const gap = await stack.call('POST', '/v1/programs', capitalOnly(programId, 3));
    expect(gap.status).toBe(409);
    expect(gap.body.error.message).toContain('next version');
    expect((await stack.call('POST', '/v1/programs', capitalOnly(programId, 2, 'Micro-capital v2'))).status).toBe(201);
    const bad = await stack.call('POST', '/v1/programs', { ...capitalOnly(programId, 3), eligibility: { maxDecile: 11 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: { field: string }) => f.field)).toEqual(['body.eligibility.maxDecile']);
    expect((await stack.call('POST', '/v1/programs', capitalOnly(programId, 3), 'viewer')).status).toBe(403);

    // Another API and worker process of the same deployment (a restart) read the same catalog: it lives in Temporal, not in memory.
    const other = await startStack({ temporalAddress: inject('temporalAddress'), taskQueue: stack.taskQueue });
    try {
      const read = await other.call('GET', `/v1/programs/${programId}`, undefined, 'viewer');
      expect(read.status).toBe(200);
      expect(read.body.latest).toMatchObject({ version: 2, title: 'Micro-capital v2' });
      expect(read.body.versions.map((e: { plan: ProgramPlan }) => e.plan.version)).toEqual([1, 2]);
    } finally {
      await other.close();
    }
  });

  it("refuses a plan whose step parameters do not suit the agency, naming the field, and publishes nothing", async () => {
    const programId = `umi-params-${Date.now().toString(36)}`;
    const plan = capitalOnly(programId, 1);
    const bad = await stack.call('POST', '/v1/programs', { ...plan, steps: [{ ...plan.steps[0]!, parameters: { scheme: 'UMi' } }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: { field: string }) => f.field)).toEqual(['body.steps.0.parameters.amount']);
    expect((await stack.call('GET', `/v1/programs/${programId}`, undefined, 'viewer')).status).toBe(404);
  });

  it('publishes the next version of a shipped program after the shipped one, never over it', async () => {
    expect((await stack.call('POST', '/v1/programs', { ...graduationPlan, title: 'changed' })).status).toBe(409);
  });

  it('pins a version when a run starts from the catalog', async () => {
    const programId = `umi-pin-${Date.now().toString(36)}`;
    await stack.call('POST', '/v1/programs', capitalOnly(programId, 1));
    await stack.call('POST', '/v1/programs', capitalOnly(programId, 2, 'Micro-capital v2'));
    // A household the plan's eligibility takes (welfare status poor or vulnerable): single runs are screened too.
    const res = await stack.call('POST', '/v1/runs', { rolloutId: uniqueRolloutId('pin'), household: makeHousehold({ welfareStatus: 'poor' }), programId, version: 1 });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ programId, programVersion: 1 });
    expect((await getRun(stack, res.body.runId)).state.programVersion).toBe(1);
    const unknown = await stack.call('POST', '/v1/runs', { rolloutId: uniqueRolloutId('pin'), household: makeHousehold(), programId, version: 9 });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.fields).toEqual([{ field: 'body.version', message: `no version 9 of ${programId}` }]);
  });
});
