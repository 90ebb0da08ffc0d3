import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { Webhook } from 'standardwebhooks';
import { eventually } from '../../dev/http';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { apiKeyOf } from '../../dev/stack-credentials';
import { startStack, type Stack } from '../../dev/stack';
import { signedHeaders } from '../../lib/standard-webhooks';
import { makeHousehold, uniqueRolloutId } from '../helpers/households';
import { startRun, stepIs, waitForState } from '../helpers/runs';

/** A raw request (any method, any bytes), as a careless or hostile client sends it. */
function raw(stack: Stack, method: string, path: string, options: { body?: Buffer; headers?: Record<string, string>; as?: 'anonymous' } = {}) {
  const url = new URL(path, stack.apiUrl);
  const auth: Record<string, string> = options.as === 'anonymous' ? {} : { authorization: `Bearer ${apiKeyOf('manager')}` };
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method, headers: { ...auth, ...options.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const errorOf = (body: string) => (JSON.parse(body) as { error: { code: string; message: string; fields?: { field: string }[] } }).error;

describe('API contract', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ temporalAddress: inject('temporalAddress') });
    await stack.sims.control.kemensos.setBehaviour({ silent: true });
  });
  afterAll(() => stack?.close());

  it('documents every route the README lists, with its patterns, enums and required bodies', async () => {
    const doc = (await stack.call('GET', '/v1/openapi.json', undefined, 'anonymous')).body;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/programs/{programId}', '/v1/programs/{programId}/versions/{version}', '/healthz', '/readyz', '/v1/openapi.json', '/v1/webhooks/{agency}']),
    );
    // One path per operation on a step: each body says what its operation needs.
    for (const [op, required] of [
      ['retry', ['reason']],
      ['skip', ['reason']],
      ['extend', ['reason', 'extendBy']],
      ['reassign', ['reason', 'agency']],
    ] as const) {
      const stepOp = doc.paths[`/v1/runs/{id}/steps/{key}/${op}`].post;
      const param = (name: string) => stepOp.parameters.find((p: { name: string }) => p.name === name).schema;
      expect(param('key').pattern).toBe('^[a-z][a-z0-9-]{0,39}$');
      expect(stepOp.requestBody.required).toBe(true);
      expect(stepOp.requestBody.content['application/json'].schema.required).toEqual(required);
      expect(Object.keys(stepOp.responses).sort()).toEqual(['200', '400', '401', '403', '404', '409', '413', '415', '429', '503']);
    }
    expect(doc.paths['/v1/bulk-operations/{id}'].get.parameters[0].schema.pattern).toBe('^bulk:[A-Za-z0-9_.:-]{1,200}$');
    const webhookAnswer = doc.paths['/v1/webhooks/{agency}'].post.responses['200'].content['application/json'].schema;
    expect(webhookAnswer.anyOf.map((s: { required: string[] }) => s.required)).toEqual([
      ['taskId', 'outcome', 'closedAt'],
      ['taskId', 'recorded'],
    ]);
    expect(doc.components.securitySchemes).toMatchObject({ bearer: { type: 'http' }, apiKey: { in: 'header', name: 'X-API-Key' } });
  });

  it("documents a run's state and a task request in full, not in outline (the fuzzer checks every answer against them)", async () => {
    const doc = (await stack.call('GET', '/v1/openapi.json', undefined, 'anonymous')).body;
    // Shared schemas (RunState, StepState, AttemptState, TaskRequest) stand once under components, referenced.
    const resolve = (schema: { $ref?: string }) => (schema.$ref ? doc.components.schemas[schema.$ref.replace('#/components/schemas/', '')] : schema);
    const answer = (path: string, method: string) => resolve(doc.paths[path][method].responses['200'].content['application/json'].schema);
    const answers = {
      run: answer('/v1/runs/{id}', 'get'),
      stepOperation: answer('/v1/runs/{id}/steps/{key}/extend', 'post'),
      cancel: answer('/v1/runs/{id}/cancel', 'post'),
      taskRequest: answer('/v1/agencies/{agency}/tasks/{taskId}', 'get'),
    };
    // An outline is an object with some properties that lets any others through; a record (a result, progress data) has no properties.
    const outlines = (schema: unknown, at: string, seen = new Set<unknown>()): string[] => {
      if (!schema || typeof schema !== 'object' || seen.has(schema)) return [];
      seen.add(schema);
      const node = resolve(schema as { $ref?: string }) as Record<string, unknown>;
      const own = node.properties && node.additionalProperties !== undefined && node.additionalProperties !== false ? [at] : [];
      return [...own, ...Object.entries(node).flatMap(([key, child]) => outlines(child, `${at}.${key}`, seen))];
    };
    expect(Object.entries(answers).flatMap(([name, schema]) => outlines(schema, name))).toEqual([]);

    const state = resolve(answers.run.properties.state);
    expect(state.required).toEqual(expect.arrayContaining(['householdId', 'region', 'startedAt', 'welfareStatus', 'steps']));
    const attempt = resolve(resolve(state.properties.steps.items).properties.attempts.items);
    expect(attempt.properties.supersededBy.enum).toEqual(['retry', 'skip', 'reassign', 'cancel']);
    expect(attempt.properties.notices.items.properties.kind.enum).toEqual(['reminder', 'breach', 'escalation', 'decision-overdue']);
    expect(attempt.properties.openedAt).toMatchObject({ type: 'string', format: 'date-time' });
    expect(answers.stepOperation).toEqual(answers.cancel);
    expect(answers.stepOperation.properties.steps).toEqual(state.properties.steps);
    // The household goes out with its personal data, as the agency needs it to find the family.
    expect(answers.taskRequest.properties.household.required).toEqual(['familyCardNumber', 'headNik', 'headName', 'region', 'decile', 'welfareStatus']);
    expect(Object.keys(answers.taskRequest.properties.household.properties)).toEqual(expect.arrayContaining(['phone', 'email']));
  });

  it('answers a method a route does not take with 405 and the methods it does', async () => {
    for (const method of ['PUT', 'DELETE', 'PATCH', 'QUERY', 'TRACE']) {
      const res = await raw(stack, method, '/v1/runs');
      expect(res.status, method).toBe(405);
      expect(res.headers.allow).toBe('GET, HEAD, POST');
      expect(errorOf(res.body).code).toBe('method_not_allowed');
    }
    expect((await raw(stack, 'DELETE', '/v1/runs/run:x:3509010000000001', { as: 'anonymous' })).headers.allow).toBe('GET, HEAD');
    expect((await raw(stack, 'GET', '/v1/webhooks/kemensos')).headers.allow).toBe('POST');
    // A literal path beside a sibling's :id takes only its own methods (not GET /v1/bulk-operations/:id's).
    for (const path of ['/v1/bulk-operations/preview', '/v1/rollouts/preview']) {
      const res = await raw(stack, 'GET', path);
      expect(res.status, path).toBe(405);
      expect(res.headers.allow, path).toBe('POST');
    }
    // A path no route has is still a 404.
    expect((await raw(stack, 'PUT', '/v1/nothing-here')).status).toBe(404);
  });

  it('says what was wrong: a malformed path, an unknown content-encoding, a body too large, a cohort of no objects', async () => {
    const path = await raw(stack, 'GET', '/v1/runs/%E0%A4%A');
    expect(path.status).toBe(400);
    expect(errorOf(path.body).message).toMatch(/path is malformed/);

    const encoded = await raw(stack, 'POST', '/v1/runs', { body: Buffer.from('{}'), headers: { 'content-type': 'application/json', 'content-encoding': 'zstd-ish' } });
    expect(encoded.status).toBe(415);
    expect(errorOf(encoded.body).message).toMatch(/content-encoding/);
    const cohortEncoded = await raw(stack, 'POST', '/v1/cohorts', { body: gzipSync('[]'), headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', authorization: `Bearer ${apiKeyOf('coordinator')}` } });
    expect(cohortEncoded.status).toBe(415);

    const big = await raw(stack, 'POST', '/v1/runs', { body: Buffer.from(JSON.stringify({ pad: 'x'.repeat(1_100_000) })), headers: { 'content-type': 'application/json' } });
    expect(big.status).toBe(413);
    expect(errorOf(big.body).code).toBe('payload_too_large');

    // A body of the right type whose content is no cohort: 422, naming the file.
    const numbers = await stack.upload('/v1/cohorts', '[1, 2, 3]', 'application/json');
    expect(numbers.status).toBe(422);
    expect(numbers.body.error.fields).toEqual([expect.objectContaining({ field: 'body.file' })]);
  });

  it('refuses a garbled page token at once with 400, and answers one that names no page of the listing with 404, naming query.pageToken', async () => {
    const rolloutId = uniqueRolloutId('paging');
    for (let i = 0; i < 3; i += 1) await startRun(stack, rolloutId, makeHousehold());
    // Listed through visibility, which may trail the starts by a moment.
    const first = await eventually(async () => {
      const res = await stack.call('GET', `/v1/runs?rollout=${rolloutId}&pageSize=1`);
      return res.body.nextPageToken ? res : undefined;
    }, 20_000, 'two runs listed');
    expect(first.body.nextPageToken).toEqual(expect.any(String));
    expect((await stack.call('GET', `/v1/runs?rollout=${rolloutId}&pageSize=1&pageToken=${first.body.nextPageToken}`)).status).toBe(200);

    const started = Date.now();
    for (const [path, status] of [
      ['/v1/runs?pageToken=garbage', 400],
      [`/v1/runs?pageToken=${first.body.nextPageToken.replace(/.$/, (c: string) => (c === 'A' ? 'B' : 'A'))}`, 404],
      // The same token for another listing.
      [`/v1/runs?rollout=other&pageSize=1&pageToken=${first.body.nextPageToken}`, 404],
      [`/v1/agencies/kemensos/tasks?pageToken=${first.body.nextPageToken}`, 404],
      ['/v1/agencies/kemensos/tasks?pageToken=AAAA', 400],
    ] as const) {
      const res = await stack.call('GET', path, undefined, 'manager');
      expect(res.status, path).toBe(status);
      expect(res.body.error.code, path).toBe(status === 404 ? 'page_not_found' : 'invalid_request');
      expect(res.body.error.fields.map((f: { field: string }) => f.field)).toEqual(['query.pageToken']);
    }
    // Not a speed target: Temporal itself takes ~20 s to refuse a token, the seal answers at once.
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('refuses an absurd duration with 400 naming it (the fuzzer once made this a 500), as its documented pattern does', async () => {
    const res = await stack.call('GET', '/v1/stuck?minAge=P5919242W883DT75731213819100H', undefined, 'viewer');
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual([{ field: 'query.minAge', message: expect.stringMatching(/^must be an ISO-8601 duration such as P14D or PT12H, with at most 3 digits of weeks/) }]);
  });

  describe('webhooks', () => {
    let taskId: string;
    const at = () => new Date().toISOString();
    beforeAll(async () => {
      const runId = await startRun(stack, uniqueRolloutId('contract'), makeHousehold());
      taskId = (await waitForState(stack, runId, stepIs('aid', 'open'))).steps[0]!.taskId!;
    });

    it('refuses a webhook-id reused for a different event with 409, and answers a true redelivery as the first time', async () => {
      const progress = { type: 'task.progress', timestamp: at(), data: { taskId, progress: { verifiedPercent: 40 } } };
      const first = await stack.webhook('kemensos', 'msg_contract_p1', progress);
      expect(first.body).toEqual({ taskId, recorded: 'task.progress' });
      expect((await stack.webhook('kemensos', 'msg_contract_p1', progress)).body).toEqual(first.body);
      const changed = await stack.webhook('kemensos', 'msg_contract_p1', { ...progress, data: { taskId, progress: { verifiedPercent: 90 } } });
      expect(changed.status).toBe(409);
      expect(changed.body.error.message).toMatch(/msg_contract_p1 was used for an event with another data/);

      const done = { type: 'task.completed', timestamp: at(), data: { taskId, result: { amount: 750000, transferReference: 'TRF-1' } } };
      const asOutcome = await stack.webhook('kemensos', 'msg_contract_p1', done);
      expect(asOutcome.status).toBe(409);
      expect(asOutcome.body.error.message).toMatch(/was used for a task.progress event/);

      const closed = await stack.webhook('kemensos', 'msg_contract_done', done);
      expect(closed.body).toEqual({ taskId, outcome: 'completed', closedAt: expect.any(String) });
      expect((await stack.webhook('kemensos', 'msg_contract_done', done)).body).toEqual(closed.body);
      const otherResult = await stack.webhook('kemensos', 'msg_contract_done', { ...done, data: { taskId, result: { amount: 1, transferReference: 'TRF-1' } } });
      expect(otherResult.status).toBe(409);
      expect(otherResult.body.error.message).toMatch(/another result/);
    });

    it('signs as any Standard Webhooks library does, so integrators can verify with one', () => {
      const secret = stack.webhookSecrets.kemensos[0]!;
      const body = JSON.stringify({ type: 'task.progress', note: 'Bu Siti sudah hadir' });
      const headers = signedHeaders(secret, 'msg_compat', body);
      expect(headers['webhook-signature']).toBe(new Webhook(secret).sign('msg_compat', new Date(Number(headers['webhook-timestamp']) * 1000), body));
      expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    });

    it('checks the signature over the raw bytes: a signed body that is not UTF-8 is a 400 for its body, not a 401', async () => {
      const body = Buffer.concat([Buffer.from('{"type":"task.progress","note":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
      const headers = { ...signedHeaders(stack.webhookSecrets.kemensos[0]!, 'msg_contract_bytes', body), 'content-type': 'application/json' };
      const res = await raw(stack, 'POST', '/v1/webhooks/kemensos', { body, headers, as: 'anonymous' });
      expect(res.status).toBe(400);
      expect(errorOf(res.body).fields).toEqual([expect.objectContaining({ field: 'body' })]);
      const forged = await raw(stack, 'POST', '/v1/webhooks/kemensos', { body: Buffer.concat([body, Buffer.from(' ')]), headers, as: 'anonymous' });
      expect(forged.status).toBe(401);
    });
  });
});
