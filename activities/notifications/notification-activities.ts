import { createTransport, type Transporter } from 'nodemailer';
import { escalationOf, focalPointsOf, managersOf, type Contacts } from './contacts';
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
function recipientsOf(contacts: Contacts, notice: SlaNotice): string[] {
  const people = {
    reminder: focalPointsOf(contacts, notice.agency),
    breach: [...managersOf(contacts, notice.region), ...focalPointsOf(contacts, notice.agency)],
    escalation: [...escalationOf(contacts, notice.region), ...managersOf(contacts, notice.region)],
  }[notice.kind];
  return [...new Set(people.map((p) => p.email))];
}

export function createNotificationActivities(deps: NotificationDeps, transport: Transporter = createTransport(deps.smtpUrl)): NotificationActivities {
  return {
    /** Sends a notice by e-mail over SMTP; throws (and is retried) when the server will not take it. */
    async notifySla(notice: SlaNotice): Promise<{ recipients: number }> {
      const to = recipientsOf(deps.contacts, notice);
      if (to.length === 0) return { recipients: 0 };
      const runUrl = consoleRunUrl(deps.publicBaseUrl, notice.runId);
      await transport.sendMail({
        from: deps.from,
        to,
        // Stable per notice, so a retried send is recognisable as the same message.
        messageId: `<${notice.kind}.${notice.taskId.replace(/[^A-Za-z0-9.-]/g, '.')}@sinergi>`,
        ...slaEmail(notice, runUrl, new Date()),
      });
      return { recipients: to.length };
    },
  };
}
