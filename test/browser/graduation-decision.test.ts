import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { relapsesAfterGraduation, visitCourseOf } from '../../agencies/visit-findings';
import { launchChromium, screenshot, signedInPage } from '../../dev/browser';
import { startStack, type Stack } from '../../dev/stack';
import { graduationPlan } from '../../domain/plans/graduation';
import { graduationCriteria } from '../../domain/plans/graduation-criteria';
import type { ProgramPlan } from '../../domain/program-plan';
import { expectVisible } from '../helpers/browser-page';
import { makeHousehold, uniqueRolloutId } from '../helpers/households';
import { ended, shortPlan, startRun, waitForState } from '../helpers/runs';

/** A manager takes an awaited graduation decision on the run's page; a viewer is shown none of it. */
describe('a graduation decision in the console', () => {
  let stack: Stack;
  let browser: Browser;
  let runId = '';

  beforeAll(async () => {
    stack = await startStack({ temporalAddress: inject('temporalAddress'), delayMs: 20 });
    browser = await launchChromium();
    const plan: ProgramPlan = { ...shortPlan(graduationPlan), graduation: { ...graduationCriteria, approval: { required: true, sla: 'P7D' }, afterGraduation: [] } };
    let household = makeHousehold({ welfareStatus: 'poor' });
    while (visitCourseOf(household.familyCardNumber) !== 'ready' || relapsesAfterGraduation(household.familyCardNumber)) household = makeHousehold({ welfareStatus: 'poor' });
    runId = await startRun(stack, uniqueRolloutId('ui-decide'), household, plan);
    await waitForState(stack, runId, (s) => s.graduation?.assessments[0]?.proposed !== undefined, 90_000);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('shows a viewer the proposal without the decision form', async () => {
    const page = await signedInPage(browser, stack.apiUrl, 'viewer', `/runs/${encodeURIComponent(runId)}`);
    await expectVisible(page.getByText('menunggu keputusan pengelola').first());
    expect(await page.getByRole('button', { name: 'Simpan keputusan' }).count()).toBe(0);
  });

  it('lets a manager overrule the proposal with a reason, refused beside the field without one', async () => {
    const page = await signedInPage(browser, stack.apiUrl, 'manager', `/runs/${encodeURIComponent(runId)}`);
    const form = page.getByRole('form', { name: 'Keputusan graduasi pengelola program' });
    await expectVisible(form);
    await expectVisible(form.getByText(/Skor kesiapan mengusulkan: lulus graduasi\. Keputusan ditunggu paling lambat \d+ \w+ \d{4}, \d{2}\.\d{2} WIB\./));
    expect(await form.getByLabel('Keputusan').inputValue()).toBe('graduate');
    await form.getByRole('button', { name: 'Simpan keputusan' }).click();
    // No reason: the API's refusal stands beside the reason field, and nothing is decided.
    await expectVisible(form.getByRole('textbox', { name: 'Alasan (wajib diisi)' }).and(page.locator('[aria-invalid="true"]')));
    await form.getByLabel('Keputusan').selectOption('extend');
    await form.getByRole('textbox', { name: 'Alasan (wajib diisi)' }).fill('tabungan belum stabil menurut pendamping');
    await form.getByRole('button', { name: 'Simpan keputusan' }).click();
    await screenshot(page, 'graduation-decision');
    const state = await waitForState(stack, runId, (s) => s.graduation!.assessments[0]!.decision !== undefined, 30_000);
    expect(state.graduation!.assessments[0]).toMatchObject({ proposed: 'graduate', decision: 'extend', decidedBy: 'test-manager' });
    expect(state.operations?.at(-1)).toMatchObject({ op: 'decide-graduation', detail: 'extend', reason: 'tabungan belum stabil menurut pendamping' });
    // The extension's visits run, then the next decision awaits the manager again.
    const next = await waitForState(stack, runId, (s) => s.graduation!.assessments.length === 2, 60_000);
    expect(next.steps.map((s) => s.key)).toContain('extension-1-visit-2');
    expect(next.graduation!.assessments[1]!.options).toEqual(['graduate', 'exit']);
    await page.reload();
    await expectVisible(page.getByRole('cell', { name: 'keputusan graduasi → diperpanjang' }));
    await stack.call('POST', `/v1/runs/${encodeURIComponent(runId)}/graduation/decision`, { decision: 'graduate', reason: 'siap setelah perpanjangan' }, 'manager');
    expect((await waitForState(stack, runId, ended, 30_000)).graduation!.outcome).toBe('graduated');
  });
});
