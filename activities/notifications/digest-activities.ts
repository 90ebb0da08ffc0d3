import { createTransport, type Transporter } from 'nodemailer';
import type { DigestActivities } from '../../domain/activity-contracts';
import { formatSortableDate } from '../../domain/display-format';
import { readStuckSteps } from '../../records/read-stuck';
import type { RecordsDb } from '../../records/records-db';
import { covers, type Contacts } from './contacts';
import { digestEmail } from './digest-email';

export interface DigestDeps {
  /** The records store, where the stuck steps are read. */
  db: RecordsDb;
  smtpUrl: string;
  from: string;
  contacts: Contacts;
  publicBaseUrl: string;
}

export function createDigestActivities(deps: DigestDeps, transport: Transporter = createTransport(deps.smtpUrl)): DigestActivities {
  return {
    /** One e-mail per manager, in their language, with the stuck steps in their regions; none for a manager with none. */
    async sendDailyDigests(): Promise<{ managers: number; stuckSteps: number }> {
      const now = new Date();
      // One read of every stuck step (oldest first), then each manager's share of it.
      const all = await readStuckSteps(deps.db, { pageSize: Number.MAX_SAFE_INTEGER, offset: 0 }, 'national', now.getTime());
      let sent = 0;
      let total = 0;
      for (const manager of deps.contacts.managers) {
        const items = all.items.filter((i) => i.region && covers(manager.regions, i.region));
        if (items.length === 0) continue;
        const byAgency: Record<string, number> = {};
        for (const i of items) byAgency[i.agency ?? 'unknown'] = (byAgency[i.agency ?? 'unknown'] ?? 0) + 1;
        const { language } = manager;
        await transport.sendMail({
          from: deps.from,
          to: manager.email,
          // Stable per manager, day (in their first region's zone, as the digest says) and language, so a retried send is recognisable.
          messageId: `<digest.${formatSortableDate(now, manager.regions[0])}.${language}.${manager.email.replace(/[^A-Za-z0-9.-]/g, '.')}@sinergi>`,
          headers: { 'Content-Language': language },
          ...digestEmail({ regions: manager.regions, total: items.length, byAgency, oldest: items.slice(0, 10), publicBaseUrl: deps.publicBaseUrl, now, language }),
        });
        sent += 1;
        total += items.length;
      }
      return { managers: sent, stuckSteps: total };
    },
  };
}
