import { formatDateTime, formatSortableDate, type DisplayLanguage } from '../../domain/display-format';
import { consoleRunUrl, consoleStuckUrl } from './console-links';
import { emailText } from './email-catalog';
import { escapeHtml } from './email-html';
import { sortableSubject } from './email-subject';

interface DigestItem {
  runId: string;
  rolloutId?: string;
  region?: string;
  step?: string;
  agency?: string;
  deadline?: string;
  daysOverdue?: number;
}

/**
 * A manager's daily digest in one language: counts by agency and the ten oldest stuck steps, each
 * linked to its run in the console, and the console's stuck list per region. Each deadline is shown
 * in its own region's zone; the digest's date in the zone of the manager's first region.
 */
export function digestEmail(d: { regions: string[]; total: number; byAgency: Record<string, number>; oldest: DigestItem[]; publicBaseUrl: string; now: Date; language: DisplayLanguage }) {
  const t = emailText(d.language);
  const home = d.regions[0];
  const link = (runId: string) => consoleRunUrl(d.publicBaseUrl, runId);
  const stuckPages = d.regions.map((region) => [region, consoleStuckUrl(d.publicBaseUrl, region)] as const);
  const counts = Object.entries(d.byAgency).sort(([a], [b]) => a.localeCompare(b));
  const line = (i: DigestItem) =>
    t('digest.item', {
      count: i.daysOverdue ?? 0,
      agency: i.agency ?? '—',
      step: i.step ?? '—',
      rollout: i.rolloutId ?? '—',
      region: i.region ?? '—',
      deadline: i.deadline ? formatDateTime(i.deadline, d.language, i.region) : '—',
    });
  const title = t('digest.title', { count: d.total, regions: d.regions.join(', '), date: formatDateTime(d.now, d.language, home) });
  const oldest = t('digest.oldest', { count: d.oldest.length });
  const text =
    `${title}\n\n` +
    `${t('digest.byAgency')}\n${counts.map(([a, n]) => `  ${a}: ${n}`).join('\n')}\n\n` +
    `${oldest}\n${d.oldest.map((i) => `  ${line(i)}: ${link(i.runId)}`).join('\n')}\n\n` +
    `${t('digest.all')}\n${stuckPages.map(([region, url]) => `  ${region}: ${url}`).join('\n')}\n`;
  const html =
    `<div lang="${d.language}"><p><strong>${escapeHtml(title)}</strong></p>` +
    `<p>${escapeHtml(t('digest.byAgency'))}</p><table>${counts.map(([a, n]) => `<tr><th align="left">${escapeHtml(a)}</th><td>${n}</td></tr>`).join('')}</table>` +
    `<p>${escapeHtml(oldest)}</p><ol>${d.oldest.map((i) => `<li>${escapeHtml(line(i))}: <a href="${escapeHtml(link(i.runId))}">${escapeHtml(t('digest.openRun'))}</a></li>`).join('')}</ol>` +
    `<p>${escapeHtml(t('digest.all'))} ${stuckPages.map(([region, url]) => `<a href="${escapeHtml(url)}">${escapeHtml(region)}</a>`).join(', ')}</p></div>`;
  const subject = sortableSubject([t('subject.digest'), formatSortableDate(d.now, home), d.regions.join(', '), t('subject.stuckSteps', { count: d.total })]);
  return { subject, text, html };
}
