import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { relapsesAfterGraduation, visitCourseOf, type VisitCourse } from '../../agencies/visit-findings';
import { launchChromium, screenshot, signedInPage } from '../../dev/browser';
import { eventually } from '../../dev/http';
import { startStack, type Stack } from '../../dev/stack';
import { formatRupiah } from '../../domain/display-format';
import type { Household } from '../../domain/household';
import { graduationPlan } from '../../domain/plans/graduation';
import { graduationCriteria } from '../../domain/plans/graduation-criteria';
import type { ProgramPlan } from '../../domain/program-plan';
import { expectVisible, factOf } from '../helpers/browser-page';
import { cohortHousehold, importCohort } from '../helpers/cohorts';
import { uniqueRolloutId } from '../helpers/households';
import { getRun, runIdFor, shortPlan } from '../helpers/runs';

function householdOn(course: VisitCourse, region: string): Household {
  for (;;) {
    const household = cohortHousehold({ region });
    if (visitCourseOf(household.familyCardNumber) === course && !relapsesAfterGraduation(household.familyCardNumber)) return household;
  }
}

/** A rollout's graduation section and a run's graduation in headless Chromium, in Bahasa Indonesia. */
describe('graduation in the console', () => {
  let stack: Stack;
  let browser: Browser;
  const programId = `ui-grad-${Date.now().toString(36)}`;
  const rolloutId = uniqueRolloutId('ui-grad');
  // One household in Jember (35.09) graduating at once; one in Banyuwangi (35.10) extended, then exiting.
  const graduates = householdOn('ready', '35.09.01.2001');
  const exits = householdOn('not-ready', '35.10.01.2001');
  const progress = async () => (await stack.call('GET', `/v1/rollouts/${rolloutId}`, undefined, 'viewer')).body;

  beforeAll(async () => {
    stack = await startStack({ temporalAddress: inject('temporalAddress'), delayMs: 20 });
    browser = await launchChromium();
    const plan: ProgramPlan = { ...shortPlan(graduationPlan), programId, version: 1, graduation: { ...graduationCriteria, afterGraduation: ['PT2S'] } };
    expect((await stack.call('POST', '/v1/programs', plan)).status).toBe(201);
    const cohortId = await importCohort(stack, [graduates, exits]);
    const res = await stack.call('POST', '/v1/rollouts', { rolloutId, cohortId, programId, reason: 'uji konsol graduasi' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    await eventually(async () => ((await progress()).runs?.completed === 2 ? true : undefined), 170_000, 'both runs completed');
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('shows the rollout’s graduation counts, score chart and criteria met, and filters them by regency kept in the URL', async () => {
    const page = await signedInPage(browser, stack.apiUrl, 'viewer', `/rollouts/${rolloutId}`);
    const section = page.getByRole('region', { name: 'Graduasi' });
    await expectVisible(section);
    expect(await factOf(section, 'Sudah diputuskan')).toBe('2');
    expect(await factOf(section, 'Lulus graduasi')).toBe('1');
    expect(await factOf(section, 'Diperpanjang')).toBe('1');
    expect(await factOf(section, 'Keluar')).toBe('1');
    expect(await factOf(section, 'Kembali turun setelah lulus')).toBe('0');
    // The chart (loaded lazily) names its figures: the graduate scored 100.
    await expectVisible(section.getByRole('img', { name: /^Grafik sebaran skor kesiapan: 0-9 \d, .*90-100 [12]$/ }));
    const criteria = section.getByRole('table', { name: 'Kriteria terpenuhi' });
    // Mandatory: the graduate met it, the household that exited did not.
    await expectVisible(criteria.getByRole('row', { name: 'Usaha yang dibiayai modal usaha mikro masih berjalan 1 50%' }));
    await screenshot(page, 'rollout-graduation');

    await section.getByLabel('Kabupaten/kota').selectOption('35.10');
    await page.waitForURL((url) => url.searchParams.get('regency') === '35.10');
    await eventually(async () => ((await factOf(section, 'Lulus graduasi')) === '0' ? true : undefined), 15_000, 'the regency’s counts');
    expect(await factOf(section, 'Keluar')).toBe('1');
    expect(await factOf(section, 'Sudah diputuskan')).toBe('1');

    // The filter is in the URL: a link to it opens on the same regency.
    const again = await signedInPage(browser, stack.apiUrl, 'viewer', `/rollouts/${rolloutId}?regency=35.09`);
    const filtered = again.getByRole('region', { name: 'Graduasi' });
    await expectVisible(filtered);
    expect(await filtered.getByLabel('Kabupaten/kota').inputValue()).toBe('35.09');
    await eventually(async () => ((await factOf(filtered, 'Sudah diputuskan')) === '1' ? true : undefined), 15_000, 'Jember’s counts');
    expect(await factOf(filtered, 'Lulus graduasi')).toBe('1');
    expect(await factOf(filtered, 'Keluar')).toBe('0');
    await screenshot(again, 'rollout-graduation-regency');
  });

  it('shows a run’s visit findings with a Rupiah value, whether each criterion was met, and the decision', async () => {
    const runId = runIdFor(rolloutId, graduates);
    const { state } = await getRun(stack, runId);
    const decisive = state.graduation!.evidence.find((e) => e.stepKey === 'follow-up-3')!;
    const page = await signedInPage(browser, stack.apiUrl, 'viewer', `/runs/${runId}`);
    const section = page.getByRole('region', { name: 'Graduasi' });
    await expectVisible(section);
    expect(await factOf(section, 'Hasil graduasi')).toBe('lulus graduasi');
    expect(await factOf(section, 'Perpanjangan yang digunakan')).toBe('0');

    const visit = section.getByRole('table', { name: /^Temuan kunjungan: Kunjungan pendampingan 3 dari 3 \(\d{1,2} \S+ \d{4}\)$/ });
    await expectVisible(visit);
    const savings = visit.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Tabungan paling sedikit Rp 500.000' }) });
    await expectVisible(savings.getByRole('cell', { name: formatRupiah(decisive.indicators.savings as number), exact: true }));
    await expectVisible(savings.getByRole('cell', { name: 'Ya', exact: true }));
    const business = visit.getByRole('row').filter({ has: page.getByRole('rowheader', { name: /^Usaha yang dibiayai modal usaha mikro masih berjalan \(wajib\)$/ }) });
    await expectVisible(business.getByRole('cell', { name: 'Berjalan', exact: true }));

    const assessments = section.getByRole('table', { name: 'Penilaian skor kesiapan' });
    const decision = assessments.getByRole('row').filter({ hasText: 'Kunjungan pendampingan 3 dari 3' });
    await expectVisible(decision.getByRole('cell', { name: '100', exact: true }));
    await expectVisible(decision.getByRole('cell', { name: 'lulus graduasi', exact: true }));
    await expectVisible(assessments.getByRole('row').filter({ hasText: 'tetap memenuhi syarat' }));
    await screenshot(page, 'run-graduation');
  });

  it('shows the household that exited: extended, then keluar', async () => {
    // Named by KK, as a person may type it: the API finds the run Temporal knows by the household's pseudonym.
    const page = await signedInPage(browser, stack.apiUrl, 'viewer', `/runs/run:${rolloutId}:${exits.familyCardNumber}`);
    await expectVisible(page.getByRole('heading', { name: `Alur keluarga: ${runIdFor(rolloutId, exits)}` }));
    const section = page.getByRole('region', { name: 'Graduasi' });
    await expectVisible(section);
    expect(await factOf(section, 'Hasil graduasi')).toBe('keluar');
    expect(await factOf(section, 'Perpanjangan yang digunakan')).toBe('1');
    const assessments = section.getByRole('table', { name: 'Penilaian skor kesiapan' });
    await expectVisible(assessments.getByRole('cell', { name: 'diperpanjang (kriteria wajib belum terpenuhi)', exact: true }));
    await expectVisible(assessments.getByRole('cell', { name: 'keluar (kriteria wajib belum terpenuhi)', exact: true }));
  });
});
