import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Download } from 'playwright-core';
import { graduationPlanV1 } from '../../domain/plans/graduation';
import { maskedNik } from '../../domain/nik';
import { eventually } from '../../dev/http';
import { startStack, type Stack } from '../../dev/stack';
import { cohortHousehold, importCohort } from '../helpers/cohorts';
import { uniqueRolloutId } from '../helpers/households';
import { launchChromium, screenshot, signedInPage } from '../../dev/browser';
import { expectVisible, factOf } from '../helpers/browser-page';
import { shortPlan } from '../helpers/runs';

/** The rollouts list and a rollout's page in headless Chromium, driven by roles and labels. */
describe('the rollouts pages in a browser', () => {
  let stack: Stack;
  let browser: Browser;
  // A program of this file's own, so other files' rollouts never enter its list.
  const programId = `ui-${Date.now().toString(36)}`;
  const rolloutId = uniqueRolloutId('ui-rollout');
  const progress = async () => (await stack.call('GET', `/v1/rollouts/${rolloutId}`, undefined, 'viewer')).body;
  // Three eligible households and one whose decile the program does not take.
  const cohort = [
    cohortHousehold({ phone: '+6281377778888', email: 'kepala.satu@example.id' }),
    cohortHousehold(),
    cohortHousehold({ welfareStatus: 'poor' }),
    cohortHousehold({ decile: 5 }),
  ];
  const textOf = async (download: Download) => readFile(await download.path(), 'utf8');

  beforeAll(async () => {
    stack = await startStack({ temporalAddress: inject('temporalAddress'), delayMs: 20 });
    browser = await launchChromium();
    expect((await stack.call('POST', '/v1/programs', { ...graduationPlanV1, programId, version: 1 })).status).toBe(201);
    const cohortId = await importCohort(stack, cohort);
    // Checking once an hour whether its runs have ended, the rollout stays running after they all complete, so it can still be paused.
    const res = await stack.call('POST', '/v1/rollouts', { rolloutId, cohortId, programId, reason: 'uji konsol', pace: { watchEvery: '1 hour' } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    await eventually(async () => ((await progress()).runs?.completed === 3 ? true : undefined), 120_000, 'all three runs completed');
  });
  afterAll(async () => {
    await stack?.call('POST', `/v1/rollouts/${rolloutId}/cancel`, { reason: 'test done' });
    await browser?.close();
    await stack?.close();
  });

  it('lists the rollout for a coordinator and shows its page: every step bar at the end, the funnel and the welfare chart', async () => {
    const page = await signedInPage(browser, stack.apiUrl, 'coordinator', '/rollouts');
    await expectVisible(page.getByRole('heading', { name: 'Pelaksanaan program' }));
    await page.getByRole('textbox', { name: 'Program', exact: true }).fill(programId);
    await page.getByRole('button', { name: 'Terapkan' }).click();
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: rolloutId, exact: true }) });
    await expectVisible(row);
    await expectVisible(row.getByRole('cell', { name: 'test-coordinator' }));
    await expectVisible(row.getByRole('cell', { name: `${programId} versi 1` }));
    await expectVisible(row.getByRole('cell', { name: /^\d{1,2} \S+ \d{4}, \d{2}\.\d{2} WIB$/ }).first());
    expect(await page.getByRole('row').count(), 'the header and one row').toBe(2);
    await screenshot(page, 'rollouts');

    await row.getByRole('link', { name: rolloutId }).click();
    await expectVisible(page.getByRole('heading', { name: `Pelaksanaan: ${rolloutId}` }));
    const bars = page.getByRole('progressbar');
    await eventually(async () => ((await bars.count()) === graduationPlanV1.steps.length ? true : undefined), 15_000, 'a bar per step');
    for (const bar of await bars.all()) {
      expect(await bar.getAttribute('value'), (await bar.getAttribute('aria-label')) ?? '').toBe('3');
      expect(await bar.getAttribute('max')).toBe('3');
    }
    await expectVisible(page.getByRole('progressbar', { name: 'Tahap 1: Penyaluran bantuan sosial PKH' }));
    const funnel = page.getByRole('list', { name: 'Corong pelaksanaan' });
    await expectVisible(funnel.getByRole('listitem').filter({ hasText: 'Daftar sasaran' }).filter({ hasText: '4' }));
    await expectVisible(funnel.getByText('Dikecualikan: desil di atas batas 1'));
    // The chart (loaded lazily) names its figures, and draws an axis label per welfare status.
    const chart = page.getByRole('img', {
      name: /^Grafik status kesejahteraan: sebelum miskin ekstrem 2, miskin 1, rentan miskin 0, mandiri 0; sesudah miskin ekstrem 0, miskin 2, rentan miskin 1/,
    });
    await expectVisible(chart);
    await expectVisible(chart.getByText('rentan miskin', { exact: true }));
    const welfare = page.getByRole('table', { name: 'Status kesejahteraan sebelum dan sesudah' });
    await expectVisible(welfare.getByRole('row', { name: 'miskin ekstrem 2 0' }));
    await expectVisible(page.getByRole('link', { name: 'Tidak ada tahap terhambat.' }).or(page.getByText('Tidak ada tahap terhambat.')));
    expect(await page.getByRole('link', { name: 'Unduh laporan (CSV)' }).getAttribute('href')).toBe(`/v1/rollouts/${rolloutId}/report.csv`);
    await screenshot(page, 'rollout');
  });

  it('refuses a pause without a reason beside the field, then pauses with one and records who and why', async () => {
    const page = await signedInPage(browser, stack.apiUrl, 'coordinator', `/rollouts/${rolloutId}`);
    await page.getByRole('button', { name: 'Jeda', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Konfirmasi' }).click();
    await expectVisible(dialog.getByRole('alert').filter({ hasText: 'Alasan wajib diisi' }));
    expect(await dialog.getByLabel('Alasan (wajib diisi)').getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'rollout-pause-refused');

    const reason = 'Revisi anggaran daerah';
    await dialog.getByLabel('Alasan (wajib diisi)').fill(reason);
    await dialog.getByRole('button', { name: 'Konfirmasi' }).click();
    await expectVisible(page.getByRole('status').filter({ hasText: `Jeda tercatat untuk ${rolloutId}` }));
    expect(await page.getByRole('dialog').count()).toBe(0);
    const operations = page.getByRole('table', { name: 'Riwayat tindakan' });
    await expectVisible(operations.getByRole('cell', { name: reason }));
    await expectVisible(operations.getByRole('cell', { name: 'test-coordinator' }));
    expect((await progress()).operations).toEqual([expect.objectContaining({ action: 'pause', reason, actor: 'test-coordinator' })]);
  });

  it('shows a viewer the rollout without pause, resume, cancel or the report', async () => {
    const page = await signedInPage(browser, stack.apiUrl, 'viewer', `/rollouts/${rolloutId}`);
    await expectVisible(page.getByRole('heading', { name: `Pelaksanaan: ${rolloutId}` }));
    await expectVisible(page.getByRole('progressbar').first());
    for (const name of ['Jeda', 'Lanjutkan', 'Batalkan']) expect(await page.getByRole('button', { name, exact: true }).count(), name).toBe(0);
    expect(await page.getByRole('link', { name: 'Unduh laporan (CSV)' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Unduh dengan data pribadi' }).count()).toBe(0);
  });

  it('downloads the report with every NIK masked, and with personal data in full only after a reason, which is recorded', async () => {
    const page = await signedInPage(browser, stack.apiUrl, 'manager', `/rollouts/${rolloutId}`);
    const [masked] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Unduh laporan (CSV)' }).click()]);
    const maskedCsv = await textOf(masked);
    expect(maskedCsv.split('\n')[0]).not.toContain('phone');
    for (const h of cohort) {
      expect(maskedCsv).toContain(maskedNik(h.headNik));
      expect(maskedCsv).not.toContain(h.headNik);
    }

    await page.getByRole('button', { name: 'Unduh dengan data pribadi' }).click();
    const dialog = page.getByRole('dialog', { name: `Unduh laporan ${rolloutId} dengan data pribadi` });
    await dialog.getByRole('button', { name: 'Unduh', exact: true }).click();
    await expectVisible(dialog.getByRole('alert').filter({ hasText: 'Alasan wajib diisi' }));
    expect(await dialog.getByLabel('Alasan (wajib diisi)').getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'rollout-personal-data-refused');

    const reason = 'Verifikasi lapangan bersama Dinas Sosial';
    await dialog.getByLabel('Alasan (wajib diisi)').fill(reason);
    const [full] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Unduh', exact: true }).click()]);
    expect(full.suggestedFilename()).toBe(`rollout-${rolloutId}-personal-data.csv`);
    const fullCsv = await textOf(full);
    expect(fullCsv.replace(/^\uFEFF/, '').split('\n')[0]).toMatch(/^family_card_number,head_nik,head_name,phone,email,/);
    for (const h of cohort) expect(fullCsv).toContain(h.headNik);
    expect(fullCsv).toContain('+6281377778888,kepala.satu@example.id');
    await expectVisible(page.getByRole('status').filter({ hasText: `Laporan ${rolloutId} dengan data pribadi diunduh` }));
    expect(await page.getByRole('dialog').count()).toBe(0);
    const audit = await stack.call('GET', '/v1/audit/personal-data', undefined, 'manager');
    expect(audit.body.items[0]).toMatchObject({ action: 'report-exported', principal: 'test-manager', rolloutId, reason });
  });

  it("shows where a rollout's stuck steps are, by agency and by regency, linked to the stuck list", async () => {
    const stuckProgram = `${programId}-stuck`;
    const stuckRollout = uniqueRolloutId('ui-stuck');
    expect((await stack.call('POST', '/v1/programs', { ...shortPlan(graduationPlanV1, { aid: { sla: 'PT2S' } }), programId: stuckProgram, version: 1 })).status).toBe(201);
    await stack.sims.control.kemensos.setBehaviour({ silent: true });
    try {
      const cohortId = await importCohort(stack, [cohortHousehold({ region: '35.07.01.2001' }), cohortHousehold({ region: '35.07.02.2001' }), cohortHousehold({ region: '35.09.01.2001' })]);
      expect((await stack.call('POST', '/v1/rollouts', { rolloutId: stuckRollout, cohortId, programId: stuckProgram, reason: 'uji tahap terhambat' })).status).toBe(201);
      await eventually(async () => ((await stack.call('GET', `/v1/rollouts/${stuckRollout}`, undefined, 'viewer')).body.runs?.stuck === 3 ? true : undefined), 60_000, 'three stuck runs');
      const page = await signedInPage(browser, stack.apiUrl, 'viewer', `/rollouts/${stuckRollout}`);
      await expectVisible(page.getByRole('link', { name: '3 tahap terhambat — lihat daftarnya' }));
      const byAgency = page.getByRole('figure', { name: 'Jumlah per instansi' });
      expect(await factOf(byAgency, 'kemensos')).toBe('3');
      const byRegency = page.getByRole('figure', { name: 'Jumlah per kabupaten/kota' });
      expect(await factOf(byRegency, '35.07')).toBe('2');
      expect(await factOf(byRegency, '35.09')).toBe('1');
      await screenshot(page, 'rollout-stuck-counts');
    } finally {
      await stack.sims.control.kemensos.setBehaviour({ silent: false });
      await stack.call('POST', `/v1/rollouts/${stuckRollout}/cancel`, { reason: 'test done' });
    }
  });
});

