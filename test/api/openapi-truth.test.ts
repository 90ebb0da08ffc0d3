import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cohortCsvHeader } from '../../dev/synthetic-cohort';
import { isoDurationPattern } from '../../domain/duration';
import { graduationPlanV1 } from '../../domain/plans/graduation';
import { nikPattern } from '../../domain/nik';
import { startStack, type Stack } from '../../dev/stack';
import { cohortHousehold, cohortCsv, importCohort } from '../helpers/cohorts';
import { makeHousehold, uniqueRolloutId } from '../helpers/households';

type Schema = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- the document is JSON read by path

/**
 * "The OpenAPI document is the truth": what it allows, the API takes (a fuzzer checks the rest).
 * Each refusal the API used to make of input the document allowed is stated in the document now,
 * or answered as what it is: a page token or a catalog entry that names nothing is not found.
 */
describe('the OpenAPI document is the truth', () => {
  let stack: Stack;
  let doc: Schema;
  beforeAll(async () => {
    stack = await startStack({ temporalAddress: inject('temporalAddress') });
    doc = (await stack.call('GET', '/v1/openapi.json', undefined, 'anonymous')).body;
  });
  afterAll(() => stack?.close());

  const resolve = (schema: Schema): Schema => (schema.$ref ? doc.components.schemas[schema.$ref.replace('#/components/schemas/', '')] : schema);
  const body = (path: string, type = 'application/json'): Schema => resolve(doc.paths[path].post.requestBody.content[type].schema);
  const query = (path: string, name: string): Schema => doc.paths[path].get.parameters.find((p: Schema) => p.name === name).schema;
  // The document's patterns as a fuzzer reads them: ECMAScript, by code point, searched (not anchored unless they say so).
  const matches = (schema: Schema, value: string) => new RegExp(schema.pattern, 'u').test(value);

  describe('page tokens', () => {
    const forged = `${'a'.repeat(20)}.${'A'.repeat(43)}`;

    it('documents a 404 on every paged listing', () => {
      for (const path of ['/v1/runs', '/v1/rollouts', '/v1/agencies/{agency}/tasks']) {
        expect(doc.paths[path].get.responses['404'], path).toMatchObject({ description: expect.stringContaining('query.pageToken') });
        expect(matches(query(path, 'pageToken'), forged), path).toBe(true);
      }
    });

    it('answers a token of the pattern that names no page of the listing with 404 page_not_found naming query.pageToken', async () => {
      for (const path of [`/v1/runs?pageToken=${forged}`, `/v1/rollouts?pageToken=${forged}`, `/v1/agencies/kemensos/tasks?pageToken=${forged}`]) {
        const res = await stack.call('GET', path, undefined, 'viewer');
        expect(res.status, path).toBe(404);
        expect(res.body.error.code).toBe('page_not_found');
        expect(res.body.error.fields).toEqual([{ field: 'query.pageToken', message: expect.stringContaining('pass nextPageToken from the previous answer, with the same filters') }]);
      }
      // What the pattern refuses is still a 400: it is no page token at all.
      expect((await stack.call('GET', '/v1/runs?pageToken=garbage', undefined, 'viewer')).status).toBe(400);
    });
  });

  describe('the catalog', () => {
    let cohortId: string;
    beforeAll(async () => {
      cohortId = await importCohort(stack, [cohortHousehold()]);
    });

    it('documents a 404 where a program, version or cohort is named', () => {
      for (const [path, method] of [
        ['/v1/rollouts', 'post'],
        ['/v1/rollouts/preview', 'post'],
        ['/v1/runs', 'post'],
      ] as const) {
        expect(doc.paths[path][method].responses['404'], path).toBeDefined();
      }
    });

    it('answers an unknown program, version or cohort with 404 naming the field', async () => {
      const unknownVersion = { cohortId, programId: 'graduation', version: 287 };
      for (const path of ['/v1/rollouts/preview', '/v1/rollouts']) {
        const res = await stack.call('POST', path, { ...unknownVersion, rolloutId: uniqueRolloutId('truth') });
        expect(res.status, path).toBe(404);
        expect(res.body.error.fields, path).toEqual([{ field: 'body.version', message: 'no version 287 of graduation' }]);
      }
      const program = await stack.call('POST', '/v1/rollouts/preview', { cohortId, programId: 'no-such-program' });
      expect(program.status).toBe(404);
      expect(program.body.error.fields).toEqual([{ field: 'body.programId', message: 'no program no-such-program in the catalog' }]);
      const cohort = await stack.call('POST', '/v1/rollouts/preview', { cohortId: `c-${'0'.repeat(20)}`, programId: 'graduation' });
      expect(cohort.status).toBe(404);
      expect(cohort.body.error.fields).toEqual([expect.objectContaining({ field: 'body.cohortId' })]);
      const run = await stack.call('POST', '/v1/runs', { rolloutId: uniqueRolloutId('truth'), household: makeHousehold(), programId: 'graduation', version: 287 });
      expect(run.status).toBe(404);
      expect(run.body.error.fields).toEqual([{ field: 'body.version', message: 'no version 287 of graduation' }]);
    });
  });

  describe('patterns', () => {
    it("carries the NIK's pattern, which the API checks", async () => {
      const household = body('/v1/runs').properties.household;
      expect(household.properties.headNik.pattern).toBe(nikPattern.source);
      for (const headNik of ['0', '', '3507014507850000']) {
        expect(matches(household.properties.headNik, headNik)).toBe(false);
        const res = await stack.call('POST', '/v1/runs', { rolloutId: uniqueRolloutId('truth'), household: makeHousehold({ headNik }) });
        expect(res.status).toBe(400);
        expect(res.body.error.fields.map((f: Schema) => f.field)).toEqual(['body.household.headNik']);
      }
      expect(body('/v1/runs').not).toEqual({ required: ['programId', 'plan'] });
    });

    it('states the bound and the sign of every ISO duration: the digits it allows are what the API takes', async () => {
      const minAge = query('/v1/stuck', 'minAge');
      expect(minAge.pattern).toBe(isoDurationPattern.source);
      for (const value of ['P9699398051294315W', 'P53038D', 'P000W', 'PT0S']) expect(matches(minAge, value), value).toBe(false);
      expect(matches(minAge, 'P999W999DT9999H99999M999999.999S')).toBe(true);
      // The longest the pattern allows is answered, not refused (nor a 500).
      expect((await stack.call('GET', '/v1/stuck?minAge=P999W999DT9999H99999M999999.999S', undefined, 'viewer')).status).toBe(200);
      const extend = body('/v1/runs/{id}/steps/{key}/extend');
      expect(extend.required).toEqual(['reason', 'extendBy']);
      expect(extend.properties.extendBy.pattern).toBe(isoDurationPattern.source);
    });

    it('requires three visible characters in every reason, as the API does', async () => {
      const reasons: [string, Schema][] = [
        ...['retry', 'skip', 'extend', 'reassign'].map((op): [string, Schema] => [op, body(`/v1/runs/{id}/steps/{key}/${op}`).properties.reason]),
        ['cancel', body('/v1/runs/{id}/cancel').properties.reason],
        ['decision', body('/v1/runs/{id}/graduation/decision').properties.reason],
        ...['pause', 'resume', 'cancel'].map((action): [string, Schema] => [`rollout ${action}`, body(`/v1/rollouts/{id}/${action}`).properties.reason]),
        ...body('/v1/bulk-operations').oneOf.map((variant: Schema): [string, Schema] => [`bulk ${variant.properties.op.enum[0]}`, variant.properties.reason]),
        ['force', body('/v1/runs').properties.force.properties.reason],
      ];
      expect(reasons).toHaveLength(15);
      for (const [where, reason] of reasons) {
        expect(reason.pattern, where).toBeDefined();
        for (const value of ['abc', ' a b c ', 'Menunggu verifikasi', '😀😀😀']) expect(matches(reason, value), `${where}: ${value}`).toBe(true);
        for (const value of ['ab', '\f\u0001ab', '\u0001\u0002\u0003', '   ', 'a\u00a0b', '😀😀']) expect(matches(reason, value), `${where}: ${JSON.stringify(value)}`).toBe(false);
      }
      const res = await stack.call('POST', '/v1/runs/run:x:3509010000000001/cancel', { reason: '\f\u{44ED0}Y' }, 'manager');
      expect(res.status).toBe(400);
      expect(res.body.error.fields).toEqual([{ field: 'body.reason', message: 'give a reason (at least 3 characters other than spaces)' }]);
    });

    it("states what a rollout's watchEvery may be: a duration Temporal's timers read, not zero", async () => {
      const watchEvery = body('/v1/rollouts').properties.pace.properties.watchEvery;
      for (const value of ['1 minute', '1 second', '30 s', '2 hours']) expect(matches(watchEvery, value), value).toBe(true);
      for (const value of ['soon', '0 s', '', '1 fortnight']) expect(matches(watchEvery, value), value).toBe(false);
      const res = await stack.call('POST', '/v1/rollouts', { rolloutId: uniqueRolloutId('truth'), cohortId: `c-${'0'.repeat(20)}`, programId: 'graduation', pace: { watchEvery: 'soon' } });
      expect(res.status).toBe(400);
      expect(res.body.error.fields.map((f: Schema) => f.field)).toEqual(['body.pace.watchEvery']);
    });

    it("answers a cohort file of the document's type whose content is no cohort with 422, as it documents", async () => {
      const csv = body('/v1/cohorts', 'text/csv');
      expect(csv).toMatchObject({ type: 'string', minLength: 1, description: expect.stringContaining(cohortCsvHeader.split(',').slice(0, 6).join(', ')) });
      expect(doc.paths['/v1/cohorts'].post.responses['422']).toBeDefined();
      for (const text of ['I', '"unclosed', cohortCsvHeader.replace('head_nik,', '')]) {
        const res = await stack.upload('/v1/cohorts', text, 'text/csv');
        expect(res.status, text).toBe(422);
        expect(res.body.error.fields, text).toEqual([expect.objectContaining({ field: expect.stringMatching(/^body\./) })]);
      }
      expect((await stack.upload('/v1/cohorts', cohortCsv([cohortHousehold()]), 'text/csv')).status).toBe(201);
    });
  });

  describe('bodies whose fields depend on one of them', () => {
    it('gives a bulk operation by op, each with the fields it needs', () => {
      const variants = body('/v1/bulk-operations').oneOf as Schema[];
      const byOp = Object.fromEntries(variants.map((v) => [v.properties.op.enum[0], { required: v.required, filter: v.properties.filter.required ?? [] }]));
      expect(byOp).toEqual({
        retry: { required: ['op', 'filter', 'reason'], filter: ['step'] },
        skip: { required: ['op', 'filter', 'reason'], filter: ['step'] },
        extend: { required: ['op', 'filter', 'reason', 'extendBy'], filter: ['step'] },
        reassign: { required: ['op', 'filter', 'reason', 'agency'], filter: ['step'] },
        cancel: { required: ['op', 'filter', 'reason'], filter: [] },
      });
      expect(body('/v1/bulk-operations/preview')).toEqual(body('/v1/bulk-operations'));
    });

    it("gives a manager's operation on a step one path each, with the body it needs", () => {
      expect(Object.keys(doc.paths).filter((p) => p.startsWith('/v1/runs/{id}/steps/'))).toEqual(
        ['retry', 'skip', 'extend', 'reassign'].map((op) => `/v1/runs/{id}/steps/{key}/${op}`),
      );
      expect(body('/v1/runs/{id}/steps/{key}/reassign').required).toEqual(['reason', 'agency']);
      expect(body('/v1/runs/{id}/steps/{key}/retry').required).toEqual(['reason']);
    });

    it("gives a plan's steps by kind: the agencies that do it and the parameters their contract asks", () => {
      const plan = body('/v1/programs');
      const steps = (plan.properties.steps.items.oneOf as Schema[]).map(resolve);
      const byKind = Object.fromEntries(steps.map((s) => [s.properties.kind.enum[0], { agencies: s.properties.agency.enum, parameters: s.properties.parameters.required }]));
      expect(byKind).toEqual({
        'aid-disbursement': { agencies: ['kemensos'], parameters: ['amount'] },
        'job-training': { agencies: ['kemnaker', 'pemda'], parameters: ['course'] },
        'micro-capital': { agencies: ['kemenkop'], parameters: ['amount'] },
        'follow-up-visit': { agencies: ['pemda'], parameters: [] },
      });
      expect(steps.find((s) => s.properties.kind.enum[0] === 'job-training')!.required).toContain('parameters');
      expect(matches(steps[0]!.properties.key, 'extension-1-visit-2')).toBe(false);
      expect(matches(steps[0]!.properties.key, 'follow-up-1')).toBe(true);
      // A plan with graduation has a follow-up visit, whose evidence decides it.
      expect(plan.if).toEqual({ required: ['graduation'] });
    });

    it("answers a plan of the document's form that breaks a rule no schema states with 422, naming the field, and documents it", async () => {
      expect(doc.paths['/v1/programs'].post.responses['422'].description).toMatch(/unique/);
      const plan = { ...graduationPlanV1, programId: `truth-${Date.now().toString(36)}`, version: 1 };
      const twice = await stack.call('POST', '/v1/programs', { ...plan, steps: [plan.steps[0], plan.steps[0]] });
      expect(twice.status).toBe(422);
      expect(twice.body.error.fields).toEqual([{ field: 'body.steps.1.key', message: 'duplicate step key "aid"' }]);
      const beyond = await stack.call('POST', '/v1/programs', { ...plan, steps: [{ ...plan.steps[3]!, parameters: { visit: 4, of: 3 } }] });
      expect(beyond.status).toBe(422);
      expect(beyond.body.error.fields).toEqual([{ field: 'body.steps.0.parameters.visit', message: 'cannot exceed "of"' }]);
      // What the document states is still a 400, with everything else wrong named beside it.
      const missing = await stack.call('POST', '/v1/programs', { ...plan, steps: [{ ...plan.steps[1]!, parameters: {} }] });
      expect(missing.status).toBe(400);
      expect(missing.body.error.fields).toEqual([{ field: 'body.steps.0.parameters.course', message: expect.any(String) }]);
      expect((await stack.call('GET', `/v1/programs/${plan.programId}`, undefined, 'viewer')).status).toBe(404);
    });
  });
});
