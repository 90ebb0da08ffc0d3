import { textIn } from '../../domain/label';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { graduationPlan } from '../../domain/plans/graduation';
import { eventually } from '../../dev/http';
import { cohortCsvLine } from '../../dev/synthetic-cohort';
import { startStack, type Stack } from '../../dev/stack';
import { descriptionsOf, expectVisible, factOf, progressBars } from '../helpers/browser-page';
import { cohortCsv, cohortHousehold } from '../helpers/cohorts';
import { uniqueRolloutId } from '../helpers/households';
import { launchChromium, screenshot, signedInPage, signInThroughPage } from '../../dev/browser';

/** The cohort import page in headless Chromium: upload, report, preview, start, then the rollout to its end, as a coordinator would. */
describe('the cohort import page in a browser', () => {
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    // The simulated ministries answer at once, so the rollout's runs finish within the test.
    stack = await startStack({ temporalAddress: inject('temporalAddress'), delayMs: 20 });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('lets a coordinator upload a CSV with bad rows, read the report, preview, start the rollout and watch its bars reach the end', async () => {
    const households = [cohortHousehold({ region: '35.09.01.2001' }), cohortHousehold({ region: '35.07.01.2001' }), cohortHousehold({ region: '35.09.01.2001' })];
    // Row 4: a NIK too short to be one; row 5: the first household again.
    const badNik = cohortCsvLine({ ...cohortHousehold(), headNik: '3509011234' });
    const duplicate = cohortCsvLine(households[0]!);
    const csv = `${cohortCsv(households)}${badNik}\r\n${duplicate}\r\n`;

    const page = await signedInPage(browser, stack.apiUrl, 'coordinator', '/cohorts/import');
    await expectVisible(page.getByRole('heading', { name: 'Unggah daftar sasaran', level: 1 }));
    await page.getByLabel('Berkas daftar sasaran (CSV atau JSON)').setInputFiles({ name: 'keluarga.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Unggah berkas' }).click();

    await expectVisible(page.getByRole('heading', { name: '2. Laporan pemeriksaan' }));
    expect(await factOf(page, 'Baris dibaca')).toBe('5');
    expect(await factOf(page, 'Baris valid')).toBe('3');
    expect(await factOf(page, 'Baris bermasalah')).toBe('2');
    const badRows = page.getByRole('table', { name: 'Daftar baris bermasalah' });
    const rowFour = badRows.getByRole('row').filter({ has: page.getByRole('cell', { name: '4', exact: true }) });
    await expectVisible(rowFour.getByRole('cell', { name: 'NIK kepala keluarga (head_nik)' }));
    const rowFive = badRows.getByRole('row').filter({ has: page.getByRole('cell', { name: '5', exact: true }) });
    await expectVisible(rowFive.getByRole('cell', { name: 'keluarga ganda' }));
    await screenshot(page, 'cohort-import-report');

    await page.getByLabel('Program', { exact: true }).selectOption('graduation');
    await page.getByRole('button', { name: 'Pratinjau' }).click();
    await expectVisible(page.getByRole('heading', { name: /^Hasil pratinjau: .+ versi \d+$/ }));
    expect(await factOf(page, 'Keluarga dalam daftar')).toBe('3');
    expect(await factOf(page, 'Memenuhi syarat')).toBe('3');
    expect(await factOf(page, 'Dikecualikan')).toBe('0');

    // A rollout id the API refuses: its message appears beside the field.
    const rolloutIdField = page.getByLabel('Kode pelaksanaan program');
    await rolloutIdField.fill('Jember TW I');
    await page.getByRole('button', { name: 'Mulai pelaksanaan' }).click();
    const refusal = await stack.call('POST', '/v1/rollouts', { rolloutId: 'Jember TW I', cohortId: 'c-00000000000000000000', programId: 'graduation' });
    const rolloutIdMessage = (refusal.body.error.fields as { field: string; message: string }[]).find((f) => f.field === 'body.rolloutId')!.message;
    expect(rolloutIdMessage).toMatch(/lowercase/);
    await expectVisible(page.getByRole('alert').filter({ hasText: rolloutIdMessage }));
    expect(await rolloutIdField.getAttribute('aria-invalid')).toBe('true');
    // Beside the field and tied to it: read out after its hint.
    expect(await descriptionsOf(rolloutIdField)).toEqual([expect.any(String), rolloutIdMessage]);
    await screenshot(page, 'cohort-import-preview');

    const rolloutId = uniqueRolloutId('import');
    await rolloutIdField.fill(rolloutId);
    await page.getByRole('button', { name: 'Mulai pelaksanaan' }).click();
    await page.waitForURL((url) => url.pathname === `/rollouts/${rolloutId}`, { timeout: 15_000 });
    await expectVisible(page.getByRole('heading', { name: `Pelaksanaan: ${rolloutId}` }));
    expect(await factOf(page, 'Dimulai oleh')).toBe('test-coordinator');
    await screenshot(page, 'cohort-import-rollout-started');

    // The page refreshes itself while the rollout goes on: no reload, the bars fill as the three runs go through the plan.
    const atTheEnd = await eventually(
      async () => {
        const bars = await progressBars(page);
        return bars.length === graduationPlan.steps.length && bars.every((b) => b.value === '3' && b.max === '3') ? bars : undefined;
      },
      120_000,
      "every step's bar at 3 of 3",
    );
    expect(atTheEnd.map((b) => b.name)).toEqual(graduationPlan.steps.map((s, i) => `Tahap ${i + 1}: ${textIn(s.title, 'id')}`));
    // The shipped plan decides graduation by criteria: each household has left the programme (its
    // run completed) or graduated and awaits its visits months later; the page shows the count.
    const progress = await eventually(
      async () => {
        const p = (await stack.call('GET', `/v1/rollouts/${rolloutId}`, undefined, 'viewer')).body;
        return p.graduation?.decided === 3 && p.runs.completed + p.graduation.followingUp === 3 ? p : undefined;
      },
      60_000,
      'every household graduated or exited',
    );
    expect(progress).toMatchObject({ households: 3, startedBy: 'test-coordinator', version: graduationPlan.version, runs: { total: 3, rejected: 0, failed: 0 } });
    expect(progress.graduation.graduated + progress.graduation.exited).toBe(3);
    // The page refreshes itself: its graduation figures catch up with the API's.
    await eventually(async () => ((await factOf(page, 'Sudah diputuskan')) === '3' ? true : undefined), 15_000, 'the page counting 3 decided');
    await screenshot(page, 'cohort-import-rollout-done');
  }, 180_000);

  it('leaves cohort import out of the manager\'s pages, and lands a manager on the stuck steps', async () => {
    const page = await (await browser.newContext({ baseURL: stack.apiUrl, locale: 'id-ID' })).newPage();
    await page.goto('/sign-in');
    await signInThroughPage(page, 'manager');
    await page.waitForURL((url) => url.pathname === '/stuck');
    await expectVisible(page.getByRole('link', { name: 'Tahap terhambat' }).first());
    expect(await page.getByRole('link', { name: 'Unggah daftar sasaran' }).count()).toBe(0);
  });

  it('tells anyone but a coordinator that only coordinators import', async () => {
    const page = await signedInPage(browser, stack.apiUrl, 'manager', '/cohorts/import');
    await expectVisible(page.getByText('Hanya koordinator yang dapat mengunggah daftar sasaran dan memulai pelaksanaan program.'));
    expect(await page.getByLabel('Berkas daftar sasaran (CSV atau JSON)').count()).toBe(0);
  });
});
