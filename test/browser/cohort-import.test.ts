import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { cohortCsvLine } from '../../dev/synthetic-cohort';
import { startStack, type Stack } from '../../dev/stack';
import { cohortCsv, cohortHousehold } from '../helpers/cohorts';
import { uniqueRolloutId } from '../helpers/households';
import { launchChromium, screenshot, signedInPage } from '../../dev/browser';

/** The cohort import page in headless Chromium: upload, report, preview, start, as a coordinator would. */
describe('the cohort import page in a browser', () => {
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    stack = await startStack({ temporalAddress: inject('temporalAddress') });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('lets a coordinator upload a CSV with bad rows, read the report, preview, start the rollout and land on its page', async () => {
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
    await expectVisible(page.getByRole('alert').filter({ hasText: 'lowercase' }));
    expect(await rolloutIdField.getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'cohort-import-preview');

    const rolloutId = uniqueRolloutId('import');
    await rolloutIdField.fill(rolloutId);
    await page.getByRole('button', { name: 'Mulai pelaksanaan' }).click();
    await page.waitForURL((url) => url.pathname === `/rollouts/${rolloutId}`, { timeout: 15_000 });
    const started = await stack.call('GET', `/v1/rollouts/${rolloutId}`, undefined, 'viewer');
    expect(started.status).toBe(200);
  });

  it('tells anyone but a coordinator that only coordinators import', async () => {
    const page = await signedInPage(browser, stack.apiUrl, 'manager', '/cohorts/import');
    await expectVisible(page.getByText('Hanya koordinator yang dapat mengunggah daftar sasaran dan memulai pelaksanaan program.'));
    expect(await page.getByLabel('Berkas daftar sasaran (CSV atau JSON)').count()).toBe(0);
  });
});

/** The value beside a term of a facts list, once it shows. */
async function factOf(page: Page, term: string): Promise<string> {
  const value = page.locator(`dt:text-is("${term}") + dd`).first();
  await expectVisible(value);
  return value.innerText();
}

/** playwright-core has no expect: wait for the element, failing the test with the locator if it never shows. */
async function expectVisible(locator: ReturnType<Page['locator']>, timeout = 15_000): Promise<void> {
  await locator.waitFor({ state: 'visible', timeout });
}
