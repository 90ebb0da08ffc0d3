import { consoleRunUrl, consoleStuckUrl } from './console-links';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

interface DigestItem {
  runId: string;
  rolloutId?: string;
  region?: string;
  step?: string;
  agency?: string;
  daysOverdue?: number;
}

/** A manager's daily digest: counts by agency and the ten oldest stuck steps, each linked to its run in the console, and the console's stuck list per region. */
export function digestEmail(d: { regions: string[]; total: number; byAgency: Record<string, number>; oldest: DigestItem[]; publicBaseUrl: string; now: Date }) {
  const link = (runId: string) => consoleRunUrl(d.publicBaseUrl, runId);
  const stuckPages = d.regions.map((region) => [region, consoleStuckUrl(d.publicBaseUrl, region)] as const);
  const counts = Object.entries(d.byAgency).sort(([a], [b]) => a.localeCompare(b));
  const line = (i: DigestItem) => `${i.daysOverdue ?? 0} day(s) overdue — ${i.agency} ${i.step}, rollout ${i.rolloutId}, region ${i.region}: ${link(i.runId)}`;
  const text =
    `Stuck steps in ${d.regions.join(', ')} on ${d.now.toISOString().slice(0, 10)}: ${d.total}\n\n` +
    `By agency:\n${counts.map(([a, n]) => `  ${a}: ${n}`).join('\n')}\n\n` +
    `The ${d.oldest.length} oldest:\n${d.oldest.map((i) => `  ${line(i)}`).join('\n')}\n\n` +
    `All stuck steps:\n${stuckPages.map(([region, url]) => `  ${region}: ${url}`).join('\n')}\n`;
  const html =
    `<p><strong>${d.total} stuck step(s) in ${escapeHtml(d.regions.join(', '))}</strong></p>` +
    `<table>${counts.map(([a, n]) => `<tr><th align="left">${escapeHtml(a)}</th><td>${n}</td></tr>`).join('')}</table>` +
    `<ol>${d.oldest.map((i) => `<li>${escapeHtml(`${i.daysOverdue ?? 0} day(s) overdue — ${i.agency} ${i.step}, rollout ${i.rolloutId}, region ${i.region}`)}: <a href="${escapeHtml(link(i.runId))}">run</a></li>`).join('')}</ol>` +
    `<p>All stuck steps: ${stuckPages.map(([region, url]) => `<a href="${escapeHtml(url)}">${escapeHtml(region)}</a>`).join(', ')}</p>`;
  return { subject: `[Sinergi] Daily digest: ${d.total} stuck step(s) in ${d.regions.join(', ')}`, text, html };
}
