import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Connection } from '@temporalio/client';
import type { WebhookSecrets } from '../config/config';
import type { Agency } from '../domain/agency';
import { WebhookIdSchema } from '../domain/webhook-event';
import { signedHeaders } from '../lib/standard-webhooks';
import { freePort } from '../dev/free-port';
import { startStack } from '../dev/stack';
import { apiKeyOf, type Caller } from '../dev/stack-credentials';
import { startDevServer } from '../dev/temporal-dev-server';
import { startTemporaryPostgres } from '../dev/embedded-postgres';
import { registerSearchAttributes } from '../temporal/register-search-attributes';

/**
 * `npm run fuzz`: the whole stack in this process on a fresh Temporal dev server, then
 * schemathesis against /v1/openapi.json: once per role through its fuzzing and stateful phases
 * (random documents and chains of calls following the document's links), bounded in examples and
 * time, and once as a manager through its coverage phase (each field's edges: boundaries,
 * missing, wrong types), with all of schemathesis's checks. Exits non-zero when it finds a 5xx,
 * an answer the document does not allow, input the document allows that the API refuses, or input
 * it refuses that the API takes. Each pass's full output, JUnit report and HAR file (every request and answer) go to artefacts/fuzz/; this prints a line
 * per pass with its counts, and the failures when there are any.
 */
const [schemathesis = 'schemathesis', maxExamples = '20', maxSeconds = '120'] = process.argv.slice(2);
const callers: Caller[] = ['viewer', 'coordinator', 'manager'];
// Every check schemathesis has: a 5xx, an answer the document does not allow, and a refusal of
// input the document allows (or an acceptance of input it refuses) all fail the run.
const checks = (process.env.SINERGI_FUZZ_CHECKS ?? 'all').split(',');

const reports = 'artefacts/fuzz';

interface Pass {
  name: string;
  caller: Caller;
  phases: string;
  seconds: number;
  /** Only the ministries' webhooks, through the signing proxy (a ministry signs each one it sends). */
  webhooks?: boolean;
}

// The coverage phase walks every operation's fields in turn and stops at its time limit: it gets
// three times a role's share, enough for all the operations (about 150 s here).
const passes: Pass[] = [
  ...callers.map((caller) => ({ name: caller, caller, phases: 'examples,fuzzing,stateful', seconds: Number(maxSeconds) })),
  { name: 'coverage', caller: 'manager' as Caller, phases: 'coverage', seconds: 3 * Number(maxSeconds) },
  // Signed as a ministry signs them, so the fuzzer's events reach the checks behind the signature.
  { name: 'webhooks', caller: 'manager' as Caller, phases: 'examples,coverage,fuzzing', seconds: Number(maxSeconds), webhooks: true },
];

function schemathesisRun(args: string[], logFile: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const log = createWriteStream(logFile);
    const child = spawn(schemathesis, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    child.on('error', reject);
    child.on('close', (code) => log.end(() => resolve(code ?? 1)));
  });
}

/**
 * The operations whose 422 answers input of the document's schema by a rule no schema can state:
 * schemathesis takes that 422 as an answer to valid input there (each must document it), and
 * anywhere else a refusal of input the document allows fails the run.
 */
const unstatableRules: Record<string, string> = {
  'POST /v1/runs': "the screening (the household against the catalog plan's eligibility and its other runs), and an inline plan's rules",
  'POST /v1/cohorts': "a cohort file's content: a CSV header naming the columns in any order, by any of their names",
  'POST /v1/programs': "a plan's rules across its fields: unique keys, a criterion met by choices it offers, a visit within its count",
};

async function writeConfig(apiUrl: string, file: string): Promise<void> {
  const document = (await (await fetch(`${apiUrl}/v1/openapi.json`)).json()) as { paths: Record<string, Record<string, { responses?: Record<string, unknown> }>> };
  const accepted = ['2xx', '3xx', '401', '403', '404', '409', '422', '429', '5xx'];
  const operations = Object.entries(unstatableRules).map(([name, rule]) => {
    const [method = '', path = ''] = name.split(' ');
    if (!document.paths[path]?.[method.toLowerCase()]?.responses?.['422']) throw new Error(`${name} documents no 422 for ${rule}`);
    return `# ${rule}\n[[operations]]\ninclude-name = "${name}"\nchecks.positive_data_acceptance.expected-statuses = ${JSON.stringify(accepted)}\n`;
  });
  writeFileSync(file, operations.join('\n'));
}

/**
 * A ministry between the fuzzer and the API: a webhook whose three Standard Webhooks headers are
 * as the document gives them gets a fresh timestamp and a true signature over the bytes the fuzzer
 * sends (its own id kept), as the ministry's library would add them; anything else goes through as
 * it came, so what the document refuses is still refused.
 */
async function startSigningProxy(apiUrl: string, secrets: WebhookSecrets): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !['host', 'content-length', 'connection'].includes(name))) as Record<string, string>;
      const agency = /^\/v1\/webhooks\/([a-z]+)$/.exec(req.url ?? '')?.[1] as Agency | undefined;
      const id = headers['webhook-id'];
      if (agency && agency in secrets && id && WebhookIdSchema.safeParse(id).success && /^\d{1,12}$/.test(headers['webhook-timestamp'] ?? '') && headers['webhook-signature'] !== undefined) {
        Object.assign(headers, signedHeaders(secrets[agency][0]!, id, body));
      }
      // Any method, as it came (TRACE too): node's own client, not fetch.
      const forward = httpRequest(`${apiUrl}${req.url}`, { method: req.method, headers: { ...headers, 'content-length': String(body.length) } }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      forward.on('error', (err) => res.writeHead(502).end(String(err)));
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${address.port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Counts a JUnit report's cases and failures (one case per operation and check). */
function junitCounts(file: string): { cases: number; failures: number } {
  const xml = readFileSync(file, 'utf8');
  return { cases: (xml.match(/<testcase\b/g) ?? []).length, failures: (xml.match(/<(failure|error)\b/g) ?? []).length };
}

async function main(): Promise<boolean> {
  const started = Date.now();
  const server = await startDevServer({ port: await freePort(), readyTimeoutMs: 120_000 });
  const connection = await Connection.connect({ address: server.address });
  await registerSearchAttributes(connection, 'default');
  await connection.close();
  // The API's access log counts what the fuzzer sent, by status class; nothing else is printed.
  const answered: Record<string, number> = {};
  const destination = {
    write(line: string) {
      const entry = JSON.parse(line) as { service?: string; msg?: string; status?: number };
      if (entry.service !== 'api' || entry.msg !== 'request' || !entry.status) return;
      const statusClass = `${Math.floor(entry.status / 100)}xx`;
      answered[statusClass] = (answered[statusClass] ?? 0) + 1;
    },
  };
  const postgres = await startTemporaryPostgres();
  const stack = await startStack({ temporalAddress: server.address, databaseUrl: postgres.url, logs: { level: 'info', destination } });
  const signing = await startSigningProxy(stack.apiUrl, stack.webhookSecrets);
  // The run the webhook examples of the document report on (the README's), its aid task left open
  // by a silent kemensos: the examples reach a real task, not only the 404 of an unknown one.
  await stack.sims.control.kemensos.setBehaviour({ silent: true });
  const exampleRun = await stack.call('POST', '/v1/runs', {
    rolloutId: 'malang-2026-q1',
    household: { familyCardNumber: '3507010101010001', headNik: '3507014507850003', headName: 'Siti Aminah', region: '35.07.01.2001', decile: 1, welfareStatus: 'extreme_poor' },
  });
  if (exampleRun.status !== 201) throw new Error(`the examples' run did not start: ${exampleRun.status} ${JSON.stringify(exampleRun.body)}`);
  let failed = false;
  try {
    mkdirSync(reports, { recursive: true });
    const config = `${reports}/schemathesis.toml`;
    await writeConfig(stack.apiUrl, config);
    // SINERGI_FUZZ_PASSES=webhooks,coverage runs only those (all by default).
    const only = process.env.SINERGI_FUZZ_PASSES?.split(',');
    for (const pass of passes.filter((p) => !only || only.includes(p.name))) {
      const passStarted = Date.now();
      const junit = `${reports}/${pass.name}.xml`;
      const logFile = `${reports}/${pass.name}.log`;
      const code = await schemathesisRun(
        [
          '--config-file',
          config,
          'run',
          `${stack.apiUrl}/v1/openapi.json`,
          ...(pass.webhooks ? ['--url', signing.url, '--include-path-regex', '^/v1/webhooks/'] : []),
          '--header',
          `Authorization: Bearer ${apiKeyOf(pass.caller)}`,
          '--phases',
          pass.phases,
          '--max-examples',
          maxExamples,
          '--max-time',
          String(pass.seconds),
          // One worker: hypothesis's lambda descriptions (ast.parse) are not thread-safe on CPython 3.11.
          '--workers',
          '1',
          '--seed',
          '1',
          '--request-timeout',
          '30',
          '--checks',
          checks.join(','),
          '--no-color',
          '--report',
          'junit,har',
          '--report-junit-path',
          junit,
          '--report-har-path',
          `${reports}/${pass.name}.har`,
          // A plan (POST /v1/programs) nests many patterned fields (ISO durations, slugs, labels,
          // graduation criteria): hypothesis discards many drafts building one, and its health check
          // would stop the run for that. What is generated is still checked against the document.
          '--suppress-health-check',
          'filter_too_much',
        ],
        logFile,
      );
      const { cases, failures } = junitCounts(junit);
      const seconds = Math.round((Date.now() - passStarted) / 1000);
      console.log(`fuzz ${pass.name} (${pass.phases}, as ${pass.caller}): ${cases} operation checks, ${failures} failing, exit ${code}, ${seconds} s; output in ${logFile}`);
      if (code !== 0) {
        // The failures are what a reader needs: schemathesis prints them before its summary.
        const output = readFileSync(logFile, 'utf8');
        console.log(output.slice(output.indexOf('FAILURES') >= 0 ? output.indexOf('FAILURES') : 0));
      }
      failed ||= code !== 0;
    }
  } finally {
    await signing.close();
    await stack.close();
    await server.stop();
    await postgres.stop();
  }
  const requests = Object.values(answered).reduce((a, b) => a + b, 0);
  console.log(`fuzzing took ${Math.round((Date.now() - started) / 1000)} s: ${requests} requests answered ${JSON.stringify(answered)}`);
  return failed;
}

main().then(
  (failed) => process.exit(failed ? 1 : 0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
