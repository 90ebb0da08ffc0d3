import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { formatDateTime } from '../../domain/display-format';
import { graduationPlanV1 } from '../../domain/plans/graduation';
import { eventually } from '../../dev/http';
import { startStack, type Stack } from '../../dev/stack';
import { descriptionsOf, expectVisible, factOf } from '../helpers/browser-page';
import { makeHousehold, uniqueRolloutId } from '../helpers/households';
import { getRun, shortPlan, startRun, waitForState } from '../helpers/runs';
import { launchChromium, screenshot, signedInPage, signInThroughPage } from '../../dev/browser';

/** The console in a real headless Chromium against the whole stack, driven as a person would: by roles and labels. */
describe('the console in a browser', () => {
  let stack: Stack;
  let browser: Browser;
  const rolloutId = uniqueRolloutId('console');
  const runIds = { malang: '', jember: '', bali: '', papua: '' };
  const stuckOf = async () => (await stack.call('GET', `/v1/stuck?rollout=${rolloutId}`, undefined, 'manager')).body as { total: number; items: { runId: string }[] };
  const rowOf = (page: Page, runId: string) => page.getByRole('row').filter({ has: page.getByRole('link', { name: runId, exact: true }) });

  beforeAll(async () => {
    stack = await startStack({ temporalAddress: inject('temporalAddress') });
    browser = await launchChromium();
    // kemensos never answers, so each run's first step (aid, a 2-second SLA) becomes stuck.
    await stack.sims.control.kemensos.setBehaviour({ silent: true });
    const quickAid = shortPlan(graduationPlanV1, { aid: { sla: 'PT2S' } });
    runIds.malang = await startRun(stack, rolloutId, makeHousehold({ region: '35.07.01.2001' }), quickAid);
    runIds.jember = await startRun(stack, rolloutId, makeHousehold({ region: '35.09.01.2001' }), quickAid);
    runIds.bali = await startRun(stack, rolloutId, makeHousehold({ region: '51.71.01.1001' }), quickAid);
    runIds.papua = await startRun(stack, rolloutId, makeHousehold({ region: '91.71.01.1001' }), quickAid);
    await eventually(async () => ((await stuckOf()).total === 4 ? true : undefined), 30_000, 'four stuck runs');
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('lets a manager filter stuck steps by regency, extend one with a reason, and see it leave the list and the reason on the run', async () => {
    const page = await signedInPage(browser, stack.apiUrl, 'manager', `/stuck?rollout=${rolloutId}`);
    await page.getByLabel('Kabupaten/kota (kode wilayah)').fill('35.09');
    await page.getByRole('button', { name: 'Terapkan' }).click();
    await rowOf(page, runIds.malang).waitFor({ state: 'detached', timeout: 15_000 });
    await expectVisible(rowOf(page, runIds.jember));
    expect(await page.getByRole('row').count(), 'the header and one row').toBe(2);
    await screenshot(page, 'stuck-steps');

    await rowOf(page, runIds.jember).getByRole('button', { name: 'Perpanjang' }).click();
    const dialog = page.getByRole('dialog');
    // No reason: the API's refusal, its own words for body.reason, appears beside the reason field and describes it.
    const refusal = await stack.call('POST', `/v1/runs/${encodeURIComponent(runIds.jember)}/steps/aid/extend`, { reason: '', extendBy: 'P7D' }, 'manager');
    expect(refusal.status).toBe(400);
    const reasonMessage = (refusal.body.error.fields as { field: string; message: string }[]).find((f) => f.field === 'body.reason')!.message;
    await dialog.getByRole('button', { name: 'Konfirmasi' }).click();
    const reasonField = dialog.getByLabel('Alasan (wajib diisi)');
    await expectVisible(dialog.getByRole('alert').filter({ hasText: reasonMessage }));
    expect(await reasonField.getAttribute('aria-invalid')).toBe('true');
    expect(await descriptionsOf(reasonField)).toEqual([reasonMessage]);
    expect(await dialog.getByLabel('Perpanjang selama').getAttribute('aria-invalid')).toBe('false');
    expect((await getRun(stack, runIds.jember)).state.operations ?? []).toEqual([]);
    await screenshot(page, 'stuck-steps-refusal');

    const reason = 'Menunggu verifikasi rekening bank';
    await dialog.getByLabel('Alasan (wajib diisi)').fill(reason);
    await dialog.getByLabel('Perpanjang selama').selectOption({ label: '14 hari' });
    await dialog.getByRole('button', { name: 'Konfirmasi' }).click();
    await expectVisible(page.getByRole('status').filter({ hasText: runIds.jember }));
    const run = await getRun(stack, runIds.jember);
    expect(run.state.operations).toEqual([expect.objectContaining({ op: 'extend', reason, actor: 'test-manager' })]);
    // Visibility catches up a moment later; the list reloads from it.
    await eventually(async () => {
      await page.reload();
      await expectVisible(page.getByText(/^\d+ tahap terhambat$/));
      return (await rowOf(page, runIds.jember).count()) === 0 ? true : undefined;
    }, 20_000, 'the extended step to leave the list');

    await page.goto(`/runs/${encodeURIComponent(runIds.jember)}`);
    const operations = page.getByRole('table', { name: 'Tindakan pengelola' });
    await expectVisible(operations.getByRole('cell', { name: reason }));
    await expectVisible(operations.getByRole('cell', { name: 'test-manager' }));
    await screenshot(page, 'run');
  });

  it('shows a viewer the stuck steps without any action buttons', async () => {
    const page = await signedInPage(browser, stack.apiUrl, 'viewer', `/stuck?rollout=${rolloutId}`);
    await expectVisible(rowOf(page, runIds.malang));
    expect(await page.getByRole('button', { name: 'Perpanjang' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Batalkan alur' }).count()).toBe(0);
    expect(await page.getByRole('columnheader', { name: 'Tindakan' }).count()).toBe(0);
  });

  it('switches every visible string to English and remembers it', async () => {
    const page = await signedInPage(browser, stack.apiUrl, 'manager', `/stuck?rollout=${rolloutId}`);
    await expectVisible(page.getByRole('heading', { name: 'Tahap terhambat' }));
    await page.getByLabel('Bahasa').selectOption('en');
    await expectVisible(page.getByRole('heading', { name: 'Stuck steps' }));
    await expectVisible(page.getByRole('button', { name: 'Sign out' }));
    const text = await page.locator('body').innerText();
    for (const indonesian of ['Tahap terhambat', 'Keluar', 'Terapkan', 'Instansi', 'Tenggat', 'Perpanjang']) expect(text).not.toContain(indonesian);
    await screenshot(page, 'stuck-steps-en');
    await page.reload();
    await expectVisible(page.getByRole('heading', { name: 'Stuck steps' }));
  });

  it('says a deadline counts working days, and that it is provisional where a year has no decree yet', async () => {
    // Some 800 working days reach past the three years a run pins, whatever today's date: counted on weekends alone there.
    const plan = shortPlan(graduationPlanV1, { aid: { sla: 'P800D', slaDays: 'working' } });
    const runId = await startRun(stack, uniqueRolloutId('console-working'), makeHousehold({ region: '51.71.01.1001' }), plan);
    const open = await waitForState(stack, runId, (s) => s.steps[0]!.status === 'open');
    const years = open.steps[0]!.attempts[0]!.deadlineBasis!.notDecreed!.map((y) => y.year);
    expect(years.length).toBeGreaterThan(0);
    const page = await signedInPage(browser, stack.apiUrl, 'viewer', `/runs/${encodeURIComponent(runId)}`);
    const deadline = page.locator('dt:text-is("Tenggat") + dd').first();
    await expectVisible(deadline);
    expect(await deadline.innerText()).toMatch(new RegExp(`WITA \\(dihitung dalam hari kerja\\) — sementara: hari libur ${years.join(', ')} belum ditetapkan SKB$`));
  });

  it("shows each run's deadlines in its own region's zone", async () => {
    const page = await signedInPage(browser, stack.apiUrl, 'viewer', `/runs/${encodeURIComponent(runIds.malang)}`);
    for (const [runId, zone] of [
      [runIds.malang, 'WIB'],
      [runIds.bali, 'WITA'],
      [runIds.papua, 'WIT'],
    ] as const) {
      await page.goto(`/runs/${encodeURIComponent(runId)}`);
      const { state } = await getRun(stack, runId);
      const deadline = page.locator('dt:text-is("Tenggat") + dd').first();
      await expectVisible(deadline);
      const shown = await deadline.innerText();
      expect(shown, runId).toMatch(new RegExp(`^\\d{1,2} \\S+ \\d{4}, \\d{2}\\.\\d{2} ${zone}$`));
      expect(shown).toBe(formatDateTime(state.steps[0]!.attempts[0]!.deadline!, 'id', state.region));
    }
    await screenshot(page, 'run-wit');
  });

  it("leads an e-mail's link, opened signed out, through sign-in to that run's page", async () => {
    const page = await (await browser.newContext({ baseURL: stack.apiUrl })).newPage();
    const link = `/runs/${encodeURIComponent(runIds.bali)}`;
    await page.goto(link);
    await page.waitForURL((url) => url.pathname === '/sign-in');
    expect(new URL(page.url()).searchParams.get('next')).toBe(link);
    // Never signed in, so nothing says a session ended.
    await expectVisible(page.getByRole('heading', { name: 'Masuk ke Sinergi' }));
    expect(await page.getByRole('status').count()).toBe(0);
    await screenshot(page, 'sign-in');
    await signInThroughPage(page, 'coordinator');
    await page.waitForURL((url) => url.pathname === link);
    await expectVisible(page.getByRole('heading', { name: `Alur keluarga: ${runIds.bali}` }));
  });

  it("finds a household's runs by its KK, which Temporal knows by a pseudonym, and opens one", async () => {
    const household = makeHousehold({ region: '35.09.01.2001' });
    const kk = household.familyCardNumber;
    const runId = await startRun(stack, uniqueRolloutId('lookup'), household, shortPlan(graduationPlanV1));
    expect(runId).not.toContain(kk);
    // Visibility lists a run a moment after it starts.
    await eventually(async () => ((await stack.call('GET', `/v1/runs?household=${kk}`, undefined, 'viewer')).body.runs?.length === 1 ? true : undefined), 20_000, 'the run listed');
    const page = await signedInPage(browser, stack.apiUrl, 'viewer', '/stuck');
    await page.getByRole('navigation', { name: 'Navigasi utama' }).getByRole('link', { name: 'Cari keluarga' }).click();
    await expectVisible(page.getByRole('heading', { name: 'Cari alur keluarga', level: 1 }));
    await page.getByLabel('No. KK').fill('3509-0101');
    await page.getByRole('button', { name: 'Cari' }).click();
    await expectVisible(page.getByRole('alert').filter({ hasText: 'No. KK terdiri dari 16 angka.' }));
    expect(await page.getByLabel('No. KK').getAttribute('aria-invalid')).toBe('true');

    await page.getByLabel('No. KK').fill(kk);
    await page.getByRole('button', { name: 'Cari' }).click();
    const runs = page.getByRole('table', { name: `Alur keluarga No. KK ${kk}` });
    await expectVisible(runs.getByRole('link', { name: runId, exact: true }));
    expect(await runs.getByRole('row').count(), 'the header and one row').toBe(2);
    // The KK stays out of the page's address (and so the browser's history).
    expect(page.url()).not.toContain(kk);
    await screenshot(page, 'household-runs');
    await runs.getByRole('link', { name: runId, exact: true }).click();
    await expectVisible(page.getByRole('heading', { name: `Alur keluarga: ${runId}` }));
    expect(await factOf(page, 'Keluarga')).toBe(kk);
  });

  it('answers an unknown page with the 404 page, inside the signed-in frame, with a way back', async () => {
    const page = await signedInPage(browser, stack.apiUrl, 'viewer', '/no-such-page');
    await expectVisible(page.getByRole('heading', { name: 'Halaman tidak ditemukan', level: 1 }));
    await expectVisible(page.getByText('Halaman /no-such-page tidak ada di Sinergi.'));
    await expectVisible(page.getByRole('navigation', { name: 'Navigasi utama' }).getByRole('link', { name: 'Pelaksanaan program' }));
    await expectVisible(page.getByText('Masuk sebagai test-viewer (pemantau)'));
    await screenshot(page, 'not-found');
    await page.getByRole('link', { name: 'Ke tahap terhambat' }).click();
    await page.waitForURL((url) => url.pathname === '/stuck');
    await expectVisible(page.getByRole('heading', { name: 'Tahap terhambat', level: 1 }));
    // A known page is not the 404 page.
    expect(await page.getByRole('heading', { name: 'Halaman tidak ditemukan' }).count()).toBe(0);
  });
});
