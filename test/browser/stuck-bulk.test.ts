import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { graduationPlanV1 } from '../../domain/plans/graduation';
import { eventually } from '../../dev/http';
import { startStack, type Stack } from '../../dev/stack';
import { makeHousehold, uniqueRolloutId } from '../helpers/households';
import { getRun, shortPlan, startRun } from '../helpers/runs';
import { launchChromium, screenshot, signedInPage } from '../../dev/browser';
import { expectVisible } from '../helpers/browser-page';

/** The stuck list's bulk action in a real headless Chromium: preview the runs it touches, confirm, watch its progress. */
describe('the stuck list’s bulk action in a browser', () => {
  let stack: Stack;
  let browser: Browser;
  const rolloutId = uniqueRolloutId('bulk');
  const jember: string[] = [];
  let malang = '';
  const stuckOf = async () => (await stack.call('GET', `/v1/stuck?rollout=${rolloutId}`, undefined, 'manager')).body as { total: number; items: { runId: string }[] };
  const rowOf = (page: Page, runId: string) => page.getByRole('row').filter({ has: page.getByRole('link', { name: runId, exact: true }) });

  beforeAll(async () => {
    stack = await startStack({ temporalAddress: inject('temporalAddress') });
    browser = await launchChromium();
    // kemensos never answers, so each run's first step (aid, a 2-second SLA) becomes stuck.
    await stack.sims.control.kemensos.setBehaviour({ silent: true });
    const quickAid = shortPlan(graduationPlanV1, { aid: { sla: 'PT2S' } });
    for (let i = 0; i < 3; i++) jember.push(await startRun(stack, rolloutId, makeHousehold({ region: '35.09.01.2001' }), quickAid));
    malang = await startRun(stack, rolloutId, makeHousehold({ region: '35.07.01.2001' }), quickAid);
    await eventually(async () => ((await stuckOf()).total === 4 ? true : undefined), 30_000, 'four stuck runs');
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('lets a manager extend every stuck step in one regency: the count first, then progress, then the list without them', async () => {
    const page = await signedInPage(browser, stack.apiUrl, 'manager', `/stuck?rollout=${rolloutId}`);
    await page.getByLabel('Kabupaten/kota (kode wilayah)').fill('35.09');
    await page.getByRole('button', { name: 'Terapkan' }).click();
    await rowOf(page, malang).waitFor({ state: 'detached', timeout: 15_000 });
    for (const runId of jember) await expectVisible(rowOf(page, runId));

    await page.getByRole('button', { name: 'Tindakan massal' }).click();
    const dialog = page.getByRole('dialog', { name: 'Tindakan massal atas filter ini' });
    await expectVisible(dialog.getByText('Kabupaten/kota (kode wilayah): 35.09', { exact: false }));
    await dialog.getByLabel('Jenis tindakan').selectOption({ label: 'Perpanjang' });

    // No step: the API's refusal names body.filter.step, shown beside the step field.
    await dialog.getByLabel('Tahap', { exact: true }).fill('');
    await dialog.getByLabel('Alasan (wajib diisi)').fill('Menunggu verifikasi rekening bank di Jember');
    await dialog.getByRole('button', { name: 'Pratinjau' }).click();
    await expectVisible(dialog.getByRole('alert'));
    expect(await dialog.getByLabel('Tahap', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'stuck-bulk-refusal');

    await dialog.getByLabel('Tahap', { exact: true }).fill('aid');
    await dialog.getByLabel('Perpanjang selama').selectOption({ label: '7 hari' });
    await dialog.getByRole('button', { name: 'Pratinjau' }).click();
    await expectVisible(dialog.getByRole('status').filter({ hasText: 'Jumlah alur yang terkena: 3' }));
    expect(await dialog.getByRole('alert').count()).toBe(0);
    await screenshot(page, 'stuck-bulk-preview');
    await dialog.getByRole('button', { name: 'Konfirmasi' }).click();

    const progress = page.getByRole('region', { name: 'Kemajuan tindakan massal' });
    await expectVisible(progress.getByRole('status').filter({ hasText: 'Perpanjang selesai: 3 diterapkan, 0 ditolak, dari 3 alur.' }), 30_000);
    await screenshot(page, 'stuck-bulk-progress');
    // The page refreshes the list itself once the operation ends (visibility catches up a moment later).
    for (const runId of jember) await rowOf(page, runId).waitFor({ state: 'detached', timeout: 15_000 });
    await expectVisible(page.getByText('Tidak ada tahap terhambat untuk filter ini.'));

    for (const runId of jember) {
      const { state } = await getRun(stack, runId);
      expect(state.operations).toEqual([expect.objectContaining({ op: 'extend', actor: 'test-manager', reason: 'Menunggu verifikasi rekening bank di Jember' })]);
    }
    expect((await stuckOf()).items.map((i) => i.runId)).toEqual([malang]);
    await page.goto(`/stuck?rollout=${rolloutId}`);
    await expectVisible(rowOf(page, malang));
  });

  it('shows a viewer no bulk action', async () => {
    const page = await signedInPage(browser, stack.apiUrl, 'viewer', `/stuck?rollout=${rolloutId}`);
    await expectVisible(rowOf(page, malang));
    expect(await page.getByRole('button', { name: 'Tindakan massal' }).count()).toBe(0);
  });
});

