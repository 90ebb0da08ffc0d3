import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cohortCsv, cohortHousehold } from '../helpers/cohorts';
import { uniqueRolloutId } from '../helpers/households';
import { startStack, type Stack } from '../../dev/stack';
import { apiKeyOf } from '../../dev/stack-credentials';

const run = promisify(execFile);

describe('the sinergi command line', () => {
  let stack: Stack;
  let dir: string;
  const sinergi = async (...args: string[]) => {
    const cli = path.resolve(__dirname, '..', '..', 'cli', 'sinergi.ts');
    const tsx = path.resolve(__dirname, '..', '..', 'node_modules', '.bin', 'tsx');
    const { stdout, stderr } = await run(tsx, [cli, '--api', stack.apiUrl, '--key', apiKeyOf('coordinator'), ...args], { timeout: 120_000 });
    return { stdout, stderr };
  };
  beforeAll(async () => {
    stack = await startStack({ temporalAddress: inject('temporalAddress'), delayMs: 20 });
    dir = await mkdtemp(path.join(tmpdir(), 'sinergi-cli-'));
  });
  afterAll(async () => {
    await stack?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('imports, previews, starts and watches a rollout to the end, then writes its report', async () => {
    const households = Array.from({ length: 12 }, () => cohortHousehold());
    const file = path.join(dir, 'cohort.csv');
    await writeFile(file, `${cohortCsv(households)}${households[0]!.familyCardNumber},3509011507850003,Dup,35.09.01.2001,1,poor,,\r\n`);
    const imported = await sinergi('import', file);
    const cohortId = /cohort (c-[0-9a-f]{20}): 13 rows, 12 valid, 1 invalid/.exec(imported.stdout)?.[1];
    expect(cohortId, imported.stdout).toBeDefined();
    expect(imported.stdout).toContain('row 13: family_card_number duplicate-household');

    expect((await sinergi('preview', cohortId!, '--program', 'graduation')).stdout).toContain('12 households: 12 eligible (0 flagged)');

    const rolloutId = uniqueRolloutId('cli');
    const started = await sinergi('start', cohortId!, '--program', 'graduation', '--rollout', rolloutId);
    expect(started.stdout).toContain(`rollout ${rolloutId} started for 12 households`);
    // Not a terminal: the bars are printed as lines; the last shows everything finished.
    expect(started.stdout + started.stderr).toMatch(/finished .*12\/12/);

    // The status as a coordinator reads it: a few lines, times in the cohort's zone (Jember: WIB); --json gives the API's answer.
    const status = (await sinergi('status', rolloutId)).stdout;
    expect(status).toMatch(new RegExp(`^rollout ${rolloutId}: graduation v2, (running|completed \\(ended [^)]+\\)); started \\d{1,2} [A-Z][a-z]+ \\d{4}, \\d{2}:\\d{2} WIB by test-coordinator\n`));
    expect(status).toContain('households 12: 12 screened, 12 started, 0 excluded, 0 flagged\n');
    expect(status).toMatch(/\ngraduation: 12 decided, \d+ graduated/);
    expect(JSON.parse((await sinergi('--json', 'status', rolloutId)).stdout)).toMatchObject({ rolloutId, households: 12 });

    const report = path.join(dir, 'report.csv');
    await sinergi('report', rolloutId, '-o', report);
    const lines = (await readFile(report, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(13);
    // The shipped plan decides graduation by criteria: a household either left the programme
    // (its run completed) or graduated and awaits its visits months after graduation.
    const header = lines[0]!.replace(/^\uFEFF/, '').split(',');
    const rows = lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, i) => [header[i], v])));
    for (const row of rows) {
      expect(`${row.status}:${row.graduation_outcome}`, JSON.stringify(row)).toMatch(/^(completed:exited|running:graduated)$/);
    }
    expect(started.stdout + started.stderr).toContain('graduated');
  });

  it('names the bad field when the API refuses, and exits non-zero', async () => {
    await expect(sinergi('start', 'c-00000000000000000000', '--program', 'graduation', '--rollout', 'Bad Id')).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('body.rolloutId'),
    });
  });
});
