import type { Client } from '@temporalio/client';
import { createTransport, type Transporter } from 'nodemailer';
import { stuckSteps } from '../../visibility/stuck-steps';
import type { Contacts } from './contacts';
import { digestEmail } from './digest-email';

export interface DigestDeps {
  client: Client;
  namespace: string;
  smtpUrl: string;
  from: string;
  contacts: Contacts;
  publicBaseUrl: string;
}

export function createDigestActivities(deps: DigestDeps, transport: Transporter = createTransport(deps.smtpUrl)) {
  return {
    /** One e-mail per manager with the stuck steps in their regions; none for a manager with none. */
    async sendDailyDigests(): Promise<{ managers: number; stuckSteps: number }> {
      let sent = 0;
      let total = 0;
      const now = new Date();
      for (const manager of deps.contacts.managers) {
        const regions = manager.regions.includes('*') ? [undefined] : manager.regions;
        const lists = await Promise.all(regions.map((region) => stuckSteps(deps.client, deps.namespace, { region, pageSize: 500, offset: 0 }, now.getTime())));
        const items = lists.flatMap((l) => l.items).sort((a, b) => (a.stuckSince ?? '').localeCompare(b.stuckSince ?? ''));
        if (items.length === 0) continue;
        const byAgency: Record<string, number> = {};
        for (const list of lists) for (const [agency, n] of Object.entries(list.counts.byAgency)) byAgency[agency] = (byAgency[agency] ?? 0) + n;
        const count = lists.reduce((n, l) => n + l.total, 0);
        await transport.sendMail({
          from: deps.from,
          to: manager.email,
          messageId: `<digest.${now.toISOString().slice(0, 10)}.${manager.email.replace(/[^A-Za-z0-9.-]/g, '.')}@sinergi>`,
          ...digestEmail({ regions: manager.regions, total: count, byAgency, oldest: items.slice(0, 10), publicBaseUrl: deps.publicBaseUrl, now }),
        });
        sent += 1;
        total += count;
      }
      return { managers: sent, stuckSteps: total };
    },
  };
}
export type DigestActivities = ReturnType<typeof createDigestActivities>;
