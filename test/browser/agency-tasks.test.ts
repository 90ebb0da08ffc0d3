import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { formatDateTime } from '../../domain/display-format';
import { eventually } from '../../dev/http';
import { startStack, type Stack } from '../../dev/stack';
import { makeHousehold, uniqueRolloutId } from '../helpers/households';
import { startRun } from '../helpers/runs';
import { launchChromium, screenshot, signedInPage } from '../../dev/browser';
import { expectVisible, factOf } from '../helpers/browser-page';

interface OpenTask {
  taskId: string;
  runId: string;
  region?: string;
  deadline?: string;
}

/** A ministry's open tasks in headless Chromium: the list with deadlines in the region's zone, and the request sent, NIK masked. */
describe('the agency tasks page in a browser', () => {
  let stack: Stack;
  let browser: Browser;
  let task: OpenTask;
  const household = makeHousehold({ region: '35.07.01.2001', headName: 'Sri Wahyuni Rahayu' });

  beforeAll(async () => {
    stack = await startStack({ temporalAddress: inject('temporalAddress') });
    browser = await launchChromium();
    // kemensos never answers: the run's first task (aid) stays open there.
    await stack.sims.control.kemensos.setBehaviour({ silent: true });
    const runId = await startRun(stack, uniqueRolloutId('tasks'), household);
    task = await eventually(
      async () => {
        const res = await stack.call('GET', '/v1/agencies/kemensos/tasks', undefined, 'kemensos');
        return (res.body as { tasks: OpenTask[] }).tasks.find((t) => t.runId === runId && t.deadline);
      },
      30_000,
      'the open aid task in visibility',
    );
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('shows a ministry its open task with its deadline, and the request sent with the NIK masked', async () => {
    const page = await signedInPage(browser, stack.apiUrl, 'kemensos', '/agencies/kemensos/tasks');
    const row = page.getByRole('row').filter({ has: page.getByRole('button', { name: task.taskId, exact: true }) });
    await expectVisible(row);
    const deadline = formatDateTime(task.deadline!, 'id', task.region);
    expect(deadline).toMatch(/ WIB$/);
    await expectVisible(row.getByRole('cell', { name: deadline }));
    await expectVisible(row.getByRole('cell', { name: '35.07.01.2001' }));
    await screenshot(page, 'agency-tasks');

    await row.getByRole('button', { name: task.taskId, exact: true }).click();
    const request = page.getByRole('region', { name: `Permintaan yang dikirim: ${task.taskId}` });
    const masked = `${household.headNik.slice(0, 6)}******${household.headNik.slice(12)}`;
    expect(await factOf(request, 'NIK kepala keluarga')).toBe(masked);
    expect(await factOf(request, 'Nama kepala keluarga')).toBe('Sri Wahyuni Rahayu');
    expect(await factOf(request, 'No. KK')).toBe(household.familyCardNumber);
    expect(await factOf(request, 'Parameter: amount')).toMatch(/^Rp\s750\.000$/);
    expect(await page.locator('body').innerText()).not.toContain(household.headNik);
    await screenshot(page, 'agency-task-request');
  });

  it("sends a ministry that opens another agency's tasks to its own", async () => {
    const page = await signedInPage(browser, stack.apiUrl, 'kemensos', '/agencies/kemensos/tasks');
    await page.goto('/agencies/kemnaker/tasks');
    await page.waitForURL((url) => url.pathname === '/agencies/kemensos/tasks');
    await expectVisible(page.getByRole('heading', { name: 'Tugas terbuka: kemensos' }));
    expect(await page.getByLabel('Instansi').count(), 'a ministry has no agency choice').toBe(0);
  });

  it('lets staff choose the agency', async () => {
    const page = await signedInPage(browser, stack.apiUrl, 'viewer', '/agencies/kemnaker/tasks');
    await expectVisible(page.getByRole('heading', { name: 'Tugas terbuka: kemnaker' }));
    await page.getByLabel('Instansi').selectOption('kemensos');
    await page.waitForURL((url) => url.pathname === '/agencies/kemensos/tasks');
    await expectVisible(page.getByRole('button', { name: task.taskId, exact: true }));
  });
});


