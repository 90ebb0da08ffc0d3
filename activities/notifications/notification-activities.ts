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

/**
 * Who hears of what: the focal point first, then the region's manager, then the level above. A
 * graduation decision overdue is the region's manager's, as a step's breach is (it has no agency).
 */
function recipientsOf(contacts: Contacts, notice: SlaNotice): Person[] {
  const focalPoints = notice.agency ? focalPointsOf(contacts, notice.agency) : [];
  switch (notice.kind) {
    case 'reminder':
      return focalPoints;
    case 'breach':
      return [...managersOf(contacts, notice.region), ...focalPoints];
    case 'escalation':
      return [...escalationOf(contacts, notice.region), ...managersOf(contacts, notice.region)];
    case 'decision-overdue':
      return managersOf(contacts, notice.region);
  }
}

/** What a notice is about, for its message id: the step's task, or the run's decision after one visit. */
const subjectOf = (notice: SlaNotice) => notice.taskId ?? `${notice.runId}:${notice.stepKey}:${notice.decision?.assessedAfter ?? ''}`;

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
          messageId: `<${notice.kind}.${language}.${subjectOf(notice).replace(/[^A-Za-z0-9.-]/g, '.')}@sinergi>`,
          headers: { 'Content-Language': language },
          ...slaEmail(notice, runUrl, now, language),
        });
        recipients += to.length;
      }
      return { recipients };
    },
  };
}
