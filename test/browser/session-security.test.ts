import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { memorySessionStore } from '../../api/auth/session-store';
import { graduationPlanV1 } from '../../domain/plans/graduation';
import { eventually } from '../../dev/http';
import { startStack, type Stack } from '../../dev/stack';
import { csrfTokenOfPage, expectVisible, fetchFromPage } from '../helpers/browser-page';
import { makeHousehold, uniqueRolloutId } from '../helpers/households';
import { getRun, shortPlan, startRun } from '../helpers/runs';
import { launchChromium, screenshot, signedInPage, signInThroughPage } from '../../dev/browser';

const minutes = (n: number) => n * 60_000;
const sessionEnded = 'Sesi Anda telah berakhir. Masuk lagi untuk kembali ke halaman tadi.';

/** The console's session in a browser: what a role may do, the CSRF defence, and a session that runs out. */
describe('console sessions in a browser', () => {
  let stack: Stack;
  let browser: Browser;
  // The sessions' clock: a test moves it past the idle timeout to let the sessions open then expire.
  let clock = Date.now();
  const rolloutId = uniqueRolloutId('session-ui');
  // One stuck run for the refused requests, one for the expired session's action.
  const runIds = { refused: '', expiry: '' };
  const stuckPath = `/stuck?rollout=${rolloutId}`;
  const extendPath = (runId: string) => `/v1/runs/${encodeURIComponent(runId)}/steps/aid/extend`;
  const extendBody = { reason: 'Menunggu verifikasi rekening bank', extendBy: 'P7D' };
  const rowOf = (page: Page, runId: string) => page.getByRole('row').filter({ has: page.getByRole('link', { name: runId, exact: true }) });
  /** What an operation would change: the operations recorded and the open attempt's deadline. */
  const runSnapshot = async (runId: string) => {
    const { state } = await getRun(stack, runId);
    return { operations: state.operations ?? [], deadline: state.steps[0]!.attempts.at(-1)!.deadline };
  };

  beforeAll(async () => {
    stack = await startStack({ temporalAddress: inject('temporalAddress'), sessions: memorySessionStore({ idleMinutes: 30, maxHours: 12, now: () => clock }) });
    browser = await launchChromium();
    // kemensos never answers, so each run's first step (aid, a 2-second SLA) becomes stuck.
    await stack.sims.control.kemensos.setBehaviour({ silent: true });
    const quickAid = shortPlan(graduationPlanV1, { aid: { sla: 'PT2S' } });
    runIds.refused = await startRun(stack, rolloutId, makeHousehold(), quickAid);
    runIds.expiry = await startRun(stack, rolloutId, makeHousehold(), quickAid);
    const stuck = async () => (await stack.call('GET', `/v1/stuck?rollout=${rolloutId}`, undefined, 'manager')).body as { total: number };
    await eventually(async () => ((await stuck()).total === 2 ? true : undefined), 30_000, 'two stuck runs');
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it("refuses a viewer's POST made from the signed-in page with the viewer's own CSRF token (403 by role), and the run is unchanged", async () => {
    const page = await signedInPage(browser, stack.apiUrl, 'viewer', stuckPath);
    await expectVisible(rowOf(page, runIds.refused));
    expect(await page.getByRole('button', { name: 'Perpanjang' }).count()).toBe(0);
    const before = await runSnapshot(runIds.refused);

    const refused = await fetchFromPage(page, 'POST', extendPath(runIds.refused), extendBody, { 'x-csrf-token': await csrfTokenOfPage(page) });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: 'forbidden', message: expect.stringMatching(/^a viewer may not do this/) });
    expect(await runSnapshot(runIds.refused)).toEqual(before);
    expect(before.operations).toEqual([]);
  });

  it("refuses a manager's POST made with the cookie but no CSRF token, or a wrong one, naming the header; with the token it is done", async () => {
    const page = await signedInPage(browser, stack.apiUrl, 'manager', stuckPath);
    await expectVisible(rowOf(page, runIds.refused));
    const before = await runSnapshot(runIds.refused);
    const token = await csrfTokenOfPage(page);

    const without = await fetchFromPage(page, 'POST', extendPath(runIds.refused), extendBody);
    expect(without.status).toBe(403);
    expect(without.body.error).toMatchObject({ code: 'forbidden', fields: [{ field: 'headers.x-csrf-token', message: 'missing' }] });
    const wrong = await fetchFromPage(page, 'POST', extendPath(runIds.refused), extendBody, { 'x-csrf-token': `${token.slice(0, -1)}${token.endsWith('x') ? 'y' : 'x'}` });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error).toMatchObject({ code: 'forbidden', fields: [{ field: 'headers.x-csrf-token', message: 'does not match the session' }] });
    // Another session's token is as wrong as a made-up one.
    const otherPage = await signedInPage(browser, stack.apiUrl, 'manager', stuckPath);
    const othersToken = await fetchFromPage(page, 'POST', extendPath(runIds.refused), extendBody, { 'x-csrf-token': await csrfTokenOfPage(otherPage) });
    expect(othersToken.status).toBe(403);
    expect(othersToken.body.error.fields).toEqual([{ field: 'headers.x-csrf-token', message: 'does not match the session' }]);
    expect(await runSnapshot(runIds.refused)).toEqual(before);

    const done = await fetchFromPage(page, 'POST', extendPath(runIds.refused), extendBody, { 'x-csrf-token': token });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.operation).toMatchObject({ op: 'extend', stepKey: 'aid', actor: 'test-manager', reason: extendBody.reason });
    const after = await runSnapshot(runIds.refused);
    expect(after.operations).toEqual([expect.objectContaining({ op: 'extend', reason: extendBody.reason, actor: 'test-manager' })]);
    expect(Date.parse(after.deadline!)).toBeGreaterThan(Date.parse(before.deadline!));
  });

  it('sends a person whose session expired to sign-in when they move on, and back to the page they went to', async () => {
    const page = await signedInPage(browser, stack.apiUrl, 'manager', stuckPath);
    await expectVisible(rowOf(page, runIds.expiry));
    clock += minutes(31);

    await page.getByRole('navigation', { name: 'Navigasi utama' }).getByRole('link', { name: 'Pelaksanaan program' }).click();
    await page.waitForURL((url) => url.pathname === '/sign-in');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/rollouts');
    await expectVisible(page.getByRole('heading', { name: 'Masuk ke Sinergi' }));
    await expectVisible(page.getByRole('status').filter({ hasText: sessionEnded }));
    await screenshot(page, 'session-expired-sign-in');

    await signInThroughPage(page, 'manager');
    await page.waitForURL((url) => url.pathname === '/rollouts');
    await expectVisible(page.getByRole('heading', { name: 'Pelaksanaan program', level: 1 }));
    await expectVisible(page.getByText('Masuk sebagai test-manager (pengelola program)'));
  });

  it('sends a person whose session expired to sign-in when they act, changing nothing, and back to the page they were on', async () => {
    const page = await signedInPage(browser, stack.apiUrl, 'manager', stuckPath);
    await expectVisible(rowOf(page, runIds.expiry));
    const before = await runSnapshot(runIds.expiry);
    clock += minutes(31);

    await rowOf(page, runIds.expiry).getByRole('button', { name: 'Perpanjang' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Alasan (wajib diisi)').fill(extendBody.reason);
    await dialog.getByRole('button', { name: 'Konfirmasi' }).click();
    await page.waitForURL((url) => url.pathname === '/sign-in');
    expect(new URL(page.url()).searchParams.get('next')).toBe(stuckPath);
    await expectVisible(page.getByRole('status').filter({ hasText: sessionEnded }));
    expect(await runSnapshot(runIds.expiry)).toEqual(before);

    await signInThroughPage(page, 'manager');
    await page.waitForURL((url) => `${url.pathname}${url.search}` === stuckPath);
    await expectVisible(page.getByRole('heading', { name: 'Tahap terhambat', level: 1 }));
    await expectVisible(rowOf(page, runIds.expiry).getByRole('button', { name: 'Perpanjang' }));
    expect(await runSnapshot(runIds.expiry)).toEqual(before);
  });

  it('sends a person whose session expired to sign-in when they reload the page, and back to it', async () => {
    const runPath = `/runs/${encodeURIComponent(runIds.expiry)}`;
    const page = await signedInPage(browser, stack.apiUrl, 'viewer', runPath);
    await expectVisible(page.getByRole('heading', { name: `Alur keluarga: ${runIds.expiry}` }));
    clock += minutes(31);

    await page.reload();
    await page.waitForURL((url) => url.pathname === '/sign-in');
    expect(new URL(page.url()).searchParams.get('next')).toBe(runPath);
    await signInThroughPage(page, 'viewer');
    await page.waitForURL((url) => url.pathname === runPath);
    await expectVisible(page.getByRole('heading', { name: `Alur keluarga: ${runIds.expiry}` }));
  });
});
