import { afterAll, beforeAll, describe, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { graduationPlanV1 } from '../../domain/plans/graduation';
import { eventually } from '../../dev/http';
import { startStack, type Stack } from '../../dev/stack';
import { makeHousehold, uniqueRolloutId } from '../helpers/households';
import { shortPlan, startRun } from '../helpers/runs';
import { launchChromium, screenshot, signedInPage } from '../../dev/browser';
import { expectVisible } from '../helpers/browser-page';

/** A manager of Jember (35.09) in the console: their region in the header, Jember alone in the stuck list, a Malang run not found. */
describe('the console of a manager limited to Jember', () => {
  let stack: Stack;
  let browser: Browser;
  const rolloutId = uniqueRolloutId('scope-ui');
  let jember = '';
  let malang = '';
  const rowOf = (page: Page, runId: string) => page.getByRole('row').filter({ has: page.getByRole('link', { name: runId, exact: true }) });

  beforeAll(async () => {
    stack = await startStack({ temporalAddress: inject('temporalAddress') });
    browser = await launchChromium();
    // kemensos never answers, so each run's aid step (a 2-second SLA) becomes stuck.
    await stack.sims.control.kemensos.setBehaviour({ silent: true });
    const quickAid = shortPlan(graduationPlanV1, { aid: { sla: 'PT2S' } });
    jember = await startRun(stack, rolloutId, makeHousehold({ region: '35.09.01.2001' }), quickAid);
    malang = await startRun(stack, rolloutId, makeHousehold({ region: '35.07.01.2001' }), quickAid);
    await eventually(async () => ((await stack.call('GET', `/v1/stuck?rollout=${rolloutId}`, undefined, 'manager')).body.total === 2 ? true : undefined), 30_000, 'two stuck runs');
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('shows the region, lists only the Jember stuck step, and finds no Malang run', async () => {
    const page = await signedInPage(browser, stack.apiUrl, 'jemberManager', `/stuck?rollout=${rolloutId}`);
    await expectVisible(page.getByText('Wilayah: 35.09', { exact: true }));
    await expectVisible(rowOf(page, jember));
    if ((await rowOf(page, malang).count()) !== 0) throw new Error('the Malang run is listed to a Jember manager');
    // The counts by regency beside the list know Jember alone.
    if ((await page.getByText('35.07').count()) !== 0) throw new Error('the stuck page mentions regency 35.07');
    await screenshot(page, 'region-scope-stuck');

    await page.goto(`/runs/${encodeURIComponent(malang)}`);
    await expectVisible(page.getByRole('alert').filter({ hasText: `Alur keluarga ${malang} tidak ditemukan.` }));
    await screenshot(page, 'region-scope-run-not-found');
    await page.goto(`/runs/${encodeURIComponent(jember)}`);
    await expectVisible(page.getByText('35.09.01.2001', { exact: true }));
  });
});
