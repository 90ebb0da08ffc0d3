import { execFile } from 'node:child_process';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { httpJson } from '../../dev/http';
import { apiKeyOf } from '../../dev/stack-credentials';
import { startStack, type Stack } from '../../dev/stack';
import { temporalCliPath } from '../../dev/temporal-cli-path';
import type { Household } from '../../domain/household';
import { ENCRYPTED_ENCODING } from '../../temporal/payload-codec';
import { cohortHousehold, importCohort } from '../helpers/cohorts';
import { eventually } from '../../dev/http';
import { makeHousehold, uniqueRolloutId } from '../helpers/households';
import { ended, enrolmentIdFor, householdKeyOf, runIdFor, startRun, waitForState } from '../helpers/runs';

const run = promisify(execFile);

class LogCapture extends Writable {
  lines: string[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void) {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
}

/**
 * Every string a history holds, as a person or a tool could read it: strings as they are, bytes
 * as UTF-8 text, and base64 strings decoded, so a payload in plain JSON would be found in any form.
 */
function readableText(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') {
    out.push(value);
    if (value.length >= 8 && /^[A-Za-z0-9+/]+={0,2}$/.test(value)) out.push(Buffer.from(value, 'base64').toString('utf8'));
  } else if (value instanceof Uint8Array) out.push(Buffer.from(value).toString('utf8'));
  else if (Array.isArray(value)) value.forEach((v) => readableText(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => readableText(v, out));
  return out;
}

type WirePayload = { metadata: Record<string, string>; data: string };
const toWire = (p: temporal.api.common.v1.IPayload): WirePayload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  data: Buffer.from(p.data ?? []).toString('base64'),
});
const text = (b64: string | undefined) => Buffer.from(b64 ?? '', 'base64').toString('utf8');

/** What must never be readable in Temporal about a household: each personal value as text and as base64 of the text. */
function personalValues(h: Household): [string, string][] {
  const values = { kk: h.familyCardNumber, nik: h.headNik, name: h.headName, phone: h.phone ?? '', email: h.email ?? '' };
  return Object.entries(values)
    .filter(([, v]) => v)
    .flatMap(([what, v]): [string, string][] => [
      [what, v],
      [`${what} as base64`, Buffer.from(v).toString('base64')],
    ]);
}

describe('payload encryption and the codec endpoint', () => {
  const logs = new LogCapture();
  const household = makeHousehold({ headNik: '3509016905810017', headName: 'Wulan Sekarsari', phone: '+6281398765432', email: 'wulan.sekar@example.id' });
  const personal = { nik: household.headNik, name: household.headName, phone: household.phone!, email: household.email! };
  // A small rollout's households, each with contact details of their own.
  const cohort = [
    cohortHousehold({ headName: 'Ratna Kusumawati', phone: '+6281211110001', email: 'ratna.kusuma@example.id' }),
    cohortHousehold({ headName: 'Dewi Lestari Putri', phone: '+6281211110002', email: 'dewi.lestari@example.id' }),
    cohortHousehold({ headName: 'Sri Rahayu Ningsih', phone: '+6281211110003', email: 'sri.rahayu@example.id' }),
  ];
  const rolloutId = uniqueRolloutId('codec-rollout');
  let stack: Stack;
  let connection: Connection;
  let runId: string;
  let inputPayloads: WirePayload[];

  beforeAll(async () => {
    stack = await startStack({ temporalAddress: inject('temporalAddress'), logs: { level: 'info', destination: logs } });
    connection = await Connection.connect({ address: inject('temporalAddress') });
    runId = await startRun(stack, uniqueRolloutId('codec'), household);
    const started = await stack.call('POST', '/v1/rollouts', { rolloutId, cohortId: await importCohort(stack, cohort), programId: 'graduation', version: 1, reason: 'uji pseudonim' });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    await waitForState(stack, runId, ended);
    for (const h of cohort) await waitForState(stack, runIdFor(rolloutId, h), ended);
    await eventually(async () => ((await stack.call('GET', `/v1/rollouts/${rolloutId}`)).body.status === 'completed' ? true : undefined), 60_000, 'rollout completed');
    // Read without the codec: what Temporal's server (and anyone with access to it) holds.
    const history = await new Client({ connection }).workflow.getHandle(runId).fetchHistory();
    inputPayloads = (history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads ?? []).map(toWire);
  });
  afterAll(async () => {
    await connection?.close();
    await stack?.close();
  });

  const decode = (headers: Record<string, string>, payloads = inputPayloads) => httpJson('POST', `${stack.apiUrl}/v1/codec/decode`, { payloads }, { 'x-namespace': 'default', ...headers });
  const bearer = (caller: Parameters<typeof apiKeyOf>[0]) => ({ authorization: `Bearer ${apiKeyOf(caller)}` });

  it("keeps every household's KK, NIK, name, phone and e-mail out of the histories and visibility rows of its runs, their locks and the rollout, as the SDK and the CLI read them", async () => {
    const raw = new Client({ connection });
    const everyone = [household, ...cohort];
    const forbidden = everyone.flatMap(personalValues);
    const workflows: [string, Household | undefined][] = [
      [runId, household],
      [enrolmentIdFor('graduation', household), household],
      ...cohort.flatMap((h): [string, Household][] => [
        [runIdFor(rolloutId, h), h],
        [enrolmentIdFor('graduation', h), h],
      ]),
      [`rollout:${rolloutId}`, undefined],
    ];
    for (const [workflowId, whose] of workflows) {
      const history = await raw.workflow.getHandle(workflowId).fetchHistory();
      expect(history.events?.length, workflowId).toBeGreaterThan(5);
      const fromSdk = readableText(history.events).join('\n');
      const { stdout } = await run(temporalCliPath(), ['workflow', 'show', '--address', inject('temporalAddress'), '--workflow-id', workflowId, '--output', 'json'], { maxBuffer: 64 * 1024 * 1024 });
      const fromCli = readableText(JSON.parse(stdout)).join('\n');
      for (const [what, value] of forbidden) {
        expect(fromSdk, `${what} in ${workflowId} (SDK)`).not.toContain(value);
        expect(fromCli, `${what} in ${workflowId} (CLI)`).not.toContain(value);
      }
      // The search finds what is there: the household's pseudonym, in the workflow id (and the run's search attributes).
      if (whose) {
        expect(fromSdk, workflowId).toContain(householdKeyOf(whose.familyCardNumber));
        expect(fromCli, workflowId).toContain(householdKeyOf(whose.familyCardNumber));
      }
      expect(fromCli).toContain(ENCRYPTED_ENCODING);
    }

    // The visibility rows as the server lists them: ids, search attributes and memos.
    const ids = workflows.map(([id]) => `'${id}'`).join(', ');
    const { executions } = await raw.workflowService.listWorkflowExecutions({ namespace: 'default', query: `WorkflowId IN (${ids})`, pageSize: 100 });
    expect(executions.map((e) => e.execution?.workflowId).sort()).toEqual(workflows.map(([id]) => id).sort());
    const rows = [JSON.stringify(executions), ...readableText(executions)].join('\n');
    for (const [what, value] of forbidden) expect(rows, `${what} in a visibility row`).not.toContain(value);
    const runRows = executions.filter((e) => e.type?.name === 'householdRun');
    expect(runRows).toHaveLength(everyone.length);
    for (const h of everyone) expect(readableText(runRows.map((e) => e.searchAttributes)).join('\n')).toContain(householdKeyOf(h.familyCardNumber));
  });

  it('decodes the encrypted payloads for a manager and a coordinator, and audits it without the contents', async () => {
    expect(inputPayloads.length).toBeGreaterThan(0);
    expect(text(inputPayloads[0]!.metadata.encoding)).toBe(ENCRYPTED_ENCODING);
    for (const caller of ['manager', 'coordinator'] as const) {
      const res = await decode({ ...bearer(caller), 'x-workflow-id': runId });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const [decoded] = res.body.payloads as WirePayload[];
      expect(text(decoded!.metadata.encoding)).toBe('json/plain');
      expect(JSON.parse(text(decoded!.data))).toMatchObject({ household: { headNik: personal.nik, headName: personal.name } });
    }
    const audit = logs.lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.audit === 'payloads-decoded');
    expect(audit).toEqual(
      expect.arrayContaining([expect.objectContaining({ principal: 'test-manager', role: 'manager', namespace: 'default', workflowId: runId, payloads: inputPayloads.length, time: expect.any(Number) })]),
    );
    for (const value of Object.values(personal)) expect(logs.lines.join('\n')).not.toContain(value);
    // And durably, in the audit managers read.
    const recorded = await stack.call('GET', '/v1/audit/personal-data', undefined, 'manager');
    expect(recorded.body.items).toEqual(
      expect.arrayContaining(
        (['manager', 'coordinator'] as const).map((role) =>
          expect.objectContaining({ action: 'payloads-decoded', principal: `test-${role}`, role, namespace: 'default', workflowId: runId, payloads: inputPayloads.length, at: expect.any(String) }),
        ),
      ),
    );
  });

  it("encrypts failure messages and stack traces: an agency's refusal naming the person is not in the raw history, and reads back through the codec", async () => {
    const refused = makeHousehold({ headName: 'Dewi Lestari' });
    // The adapter cuts out the name as the cohort spells it; a register that writes it in capitals, with a phone number, gets past that.
    const reason = 'Penerima DEWI LESTARI (HP 081234500099) sudah terdaftar di kabupaten lain';
    await stack.sims.control.kemensos.setBehaviour({ rejectHouseholds: { [refused.familyCardNumber]: { mode: 'at-request', times: 0, reason } } });
    const refusedRun = await startRun(stack, uniqueRolloutId('codec-refused'), refused);
    const state = await waitForState(stack, refusedRun, ended);
    // The workflow read the message back through the codec: the run keeps the agency's reason.
    expect(state.steps[0]!.attempts[0]).toMatchObject({ outcome: 'rejected', reason });

    const history = await new Client({ connection }).workflow.getHandle(refusedRun).fetchHistory();
    const failures = (history.events ?? []).flatMap((e) => (e.activityTaskFailedEventAttributes?.failure ? [e.activityTaskFailedEventAttributes.failure] : []));
    expect(failures.length).toBeGreaterThan(0);
    const raw = readableText(history.events).join('\n');
    for (const secret of ['DEWI LESTARI', '081234500099', 'sudah terdaftar', 'ApplicationFailure']) expect(raw, secret).not.toContain(secret);
    for (const failure of failures) {
      expect(failure.message).toBe('Encoded failure');
      expect(failure.stackTrace ?? '').toBe('');
      expect(text(toWire(failure.encodedAttributes!).metadata.encoding)).toBe(ENCRYPTED_ENCODING);
    }
    const decoded = await decode({ ...bearer('manager'), 'x-workflow-id': refusedRun }, [toWire(failures[0]!.encodedAttributes!)]);
    expect(decoded.status, JSON.stringify(decoded.body)).toBe(200);
    const attributes = JSON.parse(text(decoded.body.payloads[0].data)) as { message: string; stack_trace: string };
    expect(attributes.message).toBe(reason);
    expect(attributes.stack_trace).toContain('ApplicationFailure');
    // Nor is it in the logs of the worker that saw the activity fail.
    expect(logs.lines.some((l) => l.includes(refusedRun) || l.includes('kemensos'))).toBe(true);
    expect(logs.lines.filter((l) => l.includes('DEWI LESTARI') || l.includes('081234500099'))).toEqual([]);
  });

  it('round-trips through /encode and /decode, and passes unencrypted payloads through', async () => {
    const plain = { metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from(JSON.stringify({ nik: personal.nik })).toString('base64') };
    const encoded = await httpJson('POST', `${stack.apiUrl}/v1/codec/encode`, { payloads: [plain] }, bearer('manager'));
    expect(encoded.status).toBe(200);
    expect(text(encoded.body.payloads[0].metadata.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(text(encoded.body.payloads[0].data)).not.toContain(personal.nik);
    const decoded = await decode(bearer('manager'), [...encoded.body.payloads, plain]);
    expect(decoded.body).toEqual({ payloads: [plain, plain] });
  });

  it('refuses a payload under an unknown key id with 422 naming it and the payload', async () => {
    const forged = { ...inputPayloads[0]!, metadata: { ...inputPayloads[0]!.metadata, 'encryption-key-id': Buffer.from('retired-2024').toString('base64') } };
    const res = await decode(bearer('manager'), [inputPayloads[0]!, forged]);
    expect(res.status).toBe(422);
    expect(res.body.error.fields).toEqual([{ field: 'body.payloads.1', message: expect.stringContaining('unknown key id "retired-2024"') }]);
    const tampered = { ...inputPayloads[0]!, data: Buffer.from(Buffer.from(inputPayloads[0]!.data, 'base64').map((b, i) => (i === 20 ? b ^ 1 : b))).toString('base64') };
    expect((await decode(bearer('manager'), [tampered])).status).toBe(422);
  });

  it('answers 401 without credentials, and 403 to a viewer, a ministry and a manager limited to regions', async () => {
    const anonymous = await decode({});
    expect(anonymous.status).toBe(401);
    for (const caller of ['viewer', 'kemensos'] as const) {
      const res = await decode(bearer(caller));
      expect(res.status, caller).toBe(403);
      expect(JSON.stringify(res.body)).not.toContain(personal.nik);
    }
    // A manager limited to regions: payloads name no region to check, so none are decoded for them.
    const regional = await decode(bearer('jemberManager'));
    expect(regional.status).toBe(403);
    expect(regional.body.error.message).toMatch(/limited to regions/);
    expect(JSON.stringify(regional.body)).not.toContain(personal.nik);
  });

  it("takes the console's session cookie without a CSRF token (the Temporal UI cannot send one); roles still apply", async () => {
    const signIn = async (caller: 'manager' | 'viewer') => {
      const res = await httpJson('POST', `${stack.apiUrl}/v1/session`, { apiKey: apiKeyOf(caller) });
      return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
    };
    const manager = await decode({ cookie: await signIn('manager'), origin: stack.temporalUiOrigin });
    expect(manager.status).toBe(200);
    expect(manager.headers.get('access-control-allow-origin')).toBe(stack.temporalUiOrigin);
    expect(JSON.parse(text(manager.body.payloads[0].data)).household.headNik).toBe(personal.nik);
    expect((await decode({ cookie: await signIn('viewer') })).status).toBe(403);
  });

  it("answers the Temporal UI's CORS preflight, with credentials, and gives another origin no allow header", async () => {
    const preflight = (origin: string) =>
      fetch(`${stack.apiUrl}/v1/codec/decode`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,x-namespace' },
      });
    const allowed = await preflight(stack.temporalUiOrigin);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(stack.temporalUiOrigin);
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
    expect(allowed.headers.get('access-control-allow-methods')).toContain('POST');
    expect(allowed.headers.get('access-control-allow-headers')?.toLowerCase().split(/,\s*/)).toEqual(expect.arrayContaining(['authorization', 'content-type', 'x-namespace']));
    for (const origin of ['https://evil.example', 'http://127.0.0.1:8234']) {
      const other = await preflight(origin);
      expect(other.headers.get('access-control-allow-origin'), origin).toBeNull();
      const post = await decode({ ...bearer('manager'), origin });
      expect(post.headers.get('access-control-allow-origin'), origin).toBeNull();
    }
  });

  it('serves `temporal workflow show --codec-endpoint --codec-auth`: the history decoded, NIK included', async () => {
    const { stdout } = await run(
      temporalCliPath(),
      ['workflow', 'show', '--address', inject('temporalAddress'), '--workflow-id', runId, '--output', 'json', '--codec-endpoint', `${stack.apiUrl}/v1/codec`, '--codec-auth', `Bearer ${apiKeyOf('manager')}`],
      { maxBuffer: 64 * 1024 * 1024 },
    );
    const decoded = readableText(JSON.parse(stdout)).join('\n');
    expect(decoded).toContain(personal.nik);
    expect(decoded).not.toContain(ENCRYPTED_ENCODING);
  });

  it('documents both routes in the OpenAPI document', async () => {
    const doc = await httpJson('GET', `${stack.apiUrl}/v1/openapi.json`);
    for (const action of ['encode', 'decode']) {
      const op = doc.body.paths[`/v1/codec/${action}`]?.post;
      expect(op, action).toBeDefined();
      expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403']));
    }
  });
});
