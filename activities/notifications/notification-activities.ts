import { createTransport, type Transporter } from 'nodemailer';
import { addressesByLanguage, escalationOf, focalPointsOf, managersOf, type Contacts, type Person } from './contacts';
import type { NotificationActivities } from '../../domain/activity-contracts';
import type { SlaNotice } from '../../domain/sla-notice';
import { consoleRunUrl } from './console-links';
import { slaEmail } from './sla-email';

export interface NotificationDeps {
  smtpUrl: string;
  from: string;
  contacts: Contacts;
  /** Base of the links in e-mails: the console's origin. */
  publicBaseUrl: string;
}

/** Who hears of what: the focal point first, then the region's manager, then the level above. */
function recipientsOf(contacts: Contacts, notice: SlaNotice): Person[] {
  return {
    reminder: focalPointsOf(contacts, notice.agency),
    breach: [...managersOf(contacts, notice.region), ...focalPointsOf(contacts, notice.agency)],
    escalation: [...escalationOf(contacts, notice.region), ...managersOf(contacts, notice.region)],
  }[notice.kind];
}

export function createNotificationActivities(deps: NotificationDeps, transport: Transporter = createTransport(deps.smtpUrl)): NotificationActivities {
  return {
    /**
     * Sends a notice by e-mail over SMTP, one message per language among its readers; throws (and
     * is retried, every message again) when the server will not take one.
     */
    async notifySla(notice: SlaNotice): Promise<{ recipients: number }> {
      const runUrl = consoleRunUrl(deps.publicBaseUrl, notice.runId);
      // One moment for every language, so both messages tell the same time left.
      const now = new Date();
      let recipients = 0;
      for (const [language, to] of addressesByLanguage(recipientsOf(deps.contacts, notice))) {
        await transport.sendMail({
          from: deps.from,
          to,
          // Stable per notice and language, so a retried send is recognisable as the same message.
          messageId: `<${notice.kind}.${language}.${notice.taskId.replace(/[^A-Za-z0-9.-]/g, '.')}@sinergi>`,
          headers: { 'Content-Language': language },
          ...slaEmail(notice, runUrl, now, language),
        });
        recipients += to.length;
      }
      return { recipients };
    },
  };
}
