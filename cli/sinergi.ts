import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Command, Option } from 'commander';
import { apiClient, ApiError, dataOrThrow } from './api-client';
import { rolloutSummary } from './rollout-summary';
import { watchRollout } from './watch-rollout';
import { resealData } from './data-reseal';
import { rebuildFromTemporal } from './records-rebuild';
import { loadDotEnv } from '../config/dot-env';

// Before the options are read: SINERGI_API_URL and SINERGI_API_KEY may be in ./.env.
loadDotEnv();

/**
 * The coordinators' and operators' command line: import a cohort, preview, start, watch,
 * pause/resume/cancel a rollout, and fetch its report, through the HTTP API; and, with the API's
 * configuration, reseal the sealed records under the current key.
 */
const program = new Command('sinergi')
  .description('Sinergi rollouts from the command line')
  .addOption(new Option('--api <url>', 'Sinergi API base URL').env('SINERGI_API_URL').default('http://127.0.0.1:8080'))
  .addOption(new Option('--key <apiKey>', 'your API key').env('SINERGI_API_KEY').default('dev-coordinator-key'))
  .addOption(new Option('--json', 'print the API answers as JSON'));

const api = () => apiClient({ apiUrl: program.opts<{ api: string }>().api, apiKey: program.opts<{ key: string }>().key });
const print = (summary: string, body: unknown) => console.log(program.opts<{ json?: boolean }>().json ? JSON.stringify(body, null, 2) : summary);

program
  .command('import')
  .description('import a cohort (CSV or JSON registry extract); prints the row validation report')
  .argument('<file>', 'the .csv or .json file')
  .addOption(new Option('--format <format>', 'csv or json (default: from the file name)').choices(['csv', 'json']))
  .action(async (file: string, options: { format?: 'csv' | 'json' }) => {
    const format = options.format ?? (file.toLowerCase().endsWith('.json') ? 'json' : 'csv');
    const report = await api().upload('/v1/cohorts', file, format === 'json' ? 'application/json' : 'text/csv');
    const problems = Object.entries(report.problems).map(([code, n]) => `  ${code}: ${n}`).join('\n');
    const rows = report.invalidRows.slice(0, 20).map((r) => `  row ${r.row}: ${r.problems.map((p) => `${p.field} ${p.code}`).join('; ')}`).join('\n');
    print(`cohort ${report.cohortId}: ${report.rows} rows, ${report.valid} valid, ${report.invalid} invalid\n${problems}${rows ? `\nfirst invalid rows:\n${rows}` : ''}`, report);
  });

program
  .command('preview')
  .description('who a rollout would enrol, and who not and why (starts nothing)')
  .argument('<cohortId>')
  .requiredOption('--program <programId>')
  .option('--version <n>', 'program version (default: latest)', Number)
  .action(async (cohortId: string, options: { program: string; version?: number }) => {
    const body = dataOrThrow(await api().POST('/v1/rollouts/preview', { body: { cohortId, programId: options.program, version: options.version } }));
    const by = Object.entries(body.counts.excludedBy).map(([r, n]) => `  ${r}: ${n}`).join('\n');
    print(`${body.counts.households} households: ${body.counts.eligible} eligible (${body.counts.flagged} flagged)\n${by}`, body);
  });

program
  .command('start')
  .description('start a rollout of a program for an imported cohort, and watch it')
  .argument('<cohortId>')
  .requiredOption('--program <programId>')
  .requiredOption('--rollout <rolloutId>', 'a new rollout id: lowercase letters, digits, dashes')
  .option('--version <n>', 'program version (default: latest)', Number)
  .option('--reason <text>')
  .option('--no-watch', 'return once started')
  .action(async (cohortId: string, options: { program: string; rollout: string; version?: number; reason?: string; watch: boolean }) => {
    const started = dataOrThrow(
      await api().POST('/v1/rollouts', { body: { rolloutId: options.rollout, cohortId, programId: options.program, version: options.version, reason: options.reason } }),
    );
    print(`rollout ${started.rolloutId} started for ${started.households} households`, started);
    if (options.watch) await watchRollout(api(), started.rolloutId);
  });

program
  .command('status')
  .description("a rollout's progress (counts by step and outcome, welfare before and after; --json for all of it)")
  .argument('<rolloutId>')
  .option('--watch', 'show progress bars until the rollout ends')
  .action(async (rolloutId: string, options: { watch?: boolean }) => {
    if (options.watch) await watchRollout(api(), rolloutId);
    const p = dataOrThrow(await api().GET('/v1/rollouts/{id}', { params: { path: { id: rolloutId } } }));
    print(rolloutSummary(p), p);
  });

for (const action of ['pause', 'resume', 'cancel'] as const) {
  program
    .command(action)
    .description(`${action} a rollout, with a reason that is kept`)
    .argument('<rolloutId>')
    .requiredOption('--reason <text>')
    .action(async (rolloutId: string, options: { reason: string }) => {
      const body = dataOrThrow(await api().POST(`/v1/rollouts/{id}/${action}`, { params: { path: { id: rolloutId } }, body: { reason: options.reason } }));
      print(`rollout ${rolloutId}: ${body.status}`, body);
    });
}

program
  .command('report')
  .description('the per-household CSV report of a rollout')
  .argument('<rolloutId>')
  .option('-o, --output <file>', 'write here instead of standard output')
  .action(async (rolloutId: string, options: { output?: string }) => {
    const report = await api().downloadReport(rolloutId);
    await pipeline(Readable.fromWeb(report as import('node:stream/web').ReadableStream), options.output ? createWriteStream(options.output) : process.stdout);
  });

program
  .command('data')
  .description("Sinergi's sealed records (run with the API's configuration: DATABASE_URL, the key ring, DATA_DIR)")
  .command('reseal')
  .description("seal every sealed record under the current key: the records store's sealed columns (runs, reasons, cohorts, households, exclusions) and the audit file; prints counts only")
  .action(() => resealData(print));

program
  .command('records')
  .description("Sinergi's records store (PostgreSQL at DATABASE_URL; run with the API's and workers' configuration)")
  .command('rebuild')
  .description('re-project runs and rollouts from Temporal into the records store (after upgrading, or restoring the database); a worker must be running')
  .option('--closed', 'also closed runs Temporal still keeps (within retention), not only running ones')
  .option('--rollout <id>', "only this rollout and its runs")
  .action((options: { closed?: boolean; rollout?: string }) => rebuildFromTemporal(options, print));

program.parseAsync().catch((err: unknown) => {
  console.error(err instanceof ApiError ? `sinergi: ${err.message}` : err);
  process.exit(1);
});
