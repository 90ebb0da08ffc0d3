import { createTransport } from 'nodemailer';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { addressesByLanguage, ContactsSchema } from '../../activities/notifications/contacts';
import { digestEmail } from '../../activities/notifications/digest-email';
import en from '../../activities/notifications/i18n/email.en.json';
import id from '../../activities/notifications/i18n/email.id.json';
import { createNotificationActivities } from '../../activities/notifications/notification-activities';
import { slaEmail } from '../../activities/notifications/sla-email';
import type { DeadlineBasis } from '../../domain/run-state';
import type { SlaNotice } from '../../domain/sla-notice';
import { startMailSink, type MailSink } from '../../dev/mail-sink/start-mail-sink';

const nbsp = '\u00a0';
const runUrl = 'https://sinergi.test/runs/run%3Adenpasar-2026-tw4%3A5171010101010001';

/** A micro-capital step in Denpasar (Bali, WITA), due 23 November 2026 at 14.30 local time. */
const capitalNotice: SlaNotice = {
  kind: 'breach',
  runId: 'run:denpasar-2026-tw4:5171010101010001',
  rolloutId: 'denpasar-2026-tw4',
  region: '51.71.01.2001',
  stepKey: 'capital',
  stepTitle: 'Micro-capital (UMi) for a household business',
  stepKind: 'micro-capital',
  agency: 'kemenkop',
  taskId: 'task:run:denpasar-2026-tw4:5171010101010001:capital:1',
  deadline: '2026-11-23T06:30:00.000Z',
  amount: 5_000_000,
};
const threeDaysLate = new Date('2026-11-26T08:00:00.000Z');

describe('an SLA e-mail', () => {
  it('says when the deadline counts working days and is provisional for a year not decreed, in either language', () => {
    const basis: DeadlineBasis = { days: 'working', zone: 'WITA', notDecreed: [{ year: 2027, counting: 'provisional' }] };
    const id = slaEmail({ ...capitalNotice, deadlineBasis: basis }, runUrl, threeDaysLate, 'id');
    expect(id.text).toContain('\nTenggat: 23 November 2026, 14.30 WITA (dihitung dalam hari kerja; sementara: hari libur 2027 belum ditetapkan SKB)\n');
    const en = slaEmail({ ...capitalNotice, deadlineBasis: { days: 'calendar', zone: 'WITA' } }, runUrl, threeDaysLate, 'en');
    expect(en.text).toContain('\nDeadline: 23 November 2026, 14:30 WITA\n');
  });

  it('is in Bahasa Indonesia, with the amount in rupiah and the deadline in the region’s zone (WITA for Bali)', () => {
    const mail = slaEmail(capitalNotice, runUrl, threeDaysLate, 'id');
    expect(mail.subject).toBe('[Sinergi] 2 Terhambat · 51.71 · kemenkop · capital · tenggat 2026-11-23 · denpasar-2026-tw4');
    expect(mail.text).toBe(
      [
        'Tahap terhambat: tahap "Micro-capital (UMi) for a household business" di kemenkop lewat tenggat',
        'Buka alur keluarga di konsol untuk menindaklanjuti: ulangi, lewati, perpanjang, atau alihkan ke instansi lain.',
        '',
        'Pelaksanaan program: denpasar-2026-tw4',
        'Wilayah: 51.71.01.2001',
        'Tahap: Micro-capital (UMi) for a household business (capital)',
        'Jenis tahap: modal usaha mikro',
        'Instansi: kemenkop',
        'Tugas: task:run:denpasar-2026-tw4:5171010101010001:capital:1',
        `Jumlah: Rp${nbsp}5.000.000`,
        'Tenggat: 23 November 2026, 14.30 WITA',
        'Keterlambatan: 3 hari',
        `Alur keluarga: ${runUrl}`,
        '',
      ].join('\n'),
    );
    expect(mail.html).toContain('<div lang="id">');
    expect(mail.html).toContain(`<tr><th align="left">Jumlah</th><td>Rp${nbsp}5.000.000</td></tr>`);
    expect(mail.html).toContain('<tr><th align="left">Tenggat</th><td>23 November 2026, 14.30 WITA</td></tr>');
    expect(mail.html).toContain(`<a href="${runUrl}">${runUrl}</a>`);
  });

  it('is in English for a reader who prefers it, with the same amount and zone', () => {
    const mail = slaEmail({ ...capitalNotice, kind: 'escalation' }, runUrl, threeDaysLate, 'en');
    expect(mail.subject).toBe('[Sinergi] 1 Escalation · 51.71 · kemenkop · capital · deadline 2026-11-23 · denpasar-2026-tw4');
    expect(mail.text).toContain('Escalated: kemenkop step "Micro-capital (UMi) for a household business" is 3 days overdue\n');
    for (const line of [`Amount: Rp${nbsp}5.000.000`, 'Deadline: 23 November 2026, 14:30 WITA', 'Step kind: micro-capital', 'Overdue: 3 days', `Run: ${runUrl}`]) {
      expect(mail.text).toContain(`${line}\n`);
    }
    expect(mail.html).toContain('<div lang="en">');
  });

  it('reminds before the deadline with the hours left, and no overdue days', () => {
    const mail = slaEmail({ ...capitalNotice, kind: 'reminder' }, runUrl, new Date('2026-11-23T05:30:00.000Z'), 'id');
    expect(mail.subject).toBe('[Sinergi] 3 Pengingat · 51.71 · kemenkop · capital · tenggat 2026-11-23 · denpasar-2026-tw4');
    expect(mail.text.split('\n')[0]).toBe('Pengingat: tahap "Micro-capital (UMi) for a household business" di kemenkop mencapai tenggat dalam 1 jam');
    expect(mail.text).not.toContain('Keterlambatan');
    expect(slaEmail({ ...capitalNotice, kind: 'reminder' }, runUrl, new Date('2026-11-23T05:30:00.000Z'), 'en').text).toMatch(/is due in 1 hour\n/);
  });

  it('shows no amount for a step that moves no money, nor a kind a notice from an older worker lacks', () => {
    const { amount: _amount, stepKind: _kind, ...visit } = capitalNotice;
    const mail = slaEmail({ ...visit, stepKey: 'follow-up-1', stepTitle: 'Facilitator follow-up visit 1 of 3', agency: 'pemda' }, runUrl, threeDaysLate, 'id');
    expect(mail.text).not.toContain('Jumlah');
    expect(mail.text).not.toContain('Jenis tahap');
    expect(mail.text).not.toContain('undefined');
  });

  it('escapes what the plan wrote in its HTML part', () => {
    const mail = slaEmail({ ...capitalNotice, stepTitle: 'Aid <b>& more</b>' }, runUrl, threeDaysLate, 'id');
    expect(mail.html).toContain('Aid &#60;b&#62;&#38; more&#60;/b&#62;');
    expect(mail.html).not.toContain('<b>');
  });
});

describe('subjects', () => {
  const notice = (kind: SlaNotice['kind'], region: string, agency: SlaNotice['agency'], stepKey: string, deadline: string): SlaNotice => ({
    ...capitalNotice,
    kind,
    region,
    agency,
    stepKey,
    deadline,
  });
  // In the order a manager means: most urgent kind, then region, agency, step, and the earliest deadline.
  const ordered = [
    notice('escalation', '35.09.01.2001', 'kemensos', 'aid', '2026-11-20T03:00:00.000Z'),
    notice('escalation', '51.71.01.2001', 'kemenkop', 'capital', '2026-11-20T03:00:00.000Z'),
    notice('breach', '35.07.01.2001', 'kemensos', 'aid', '2026-11-22T03:00:00.000Z'),
    notice('breach', '35.09.01.2001', 'kemenkop', 'capital', '2026-11-21T03:00:00.000Z'),
    notice('breach', '35.09.01.2001', 'kemensos', 'aid', '2026-11-09T03:00:00.000Z'),
    notice('breach', '35.09.02.2002', 'kemensos', 'aid', '2026-11-10T03:00:00.000Z'),
    notice('breach', '35.09.01.2001', 'kemensos', 'aid-extra', '2026-11-01T03:00:00.000Z'),
    notice('breach', '91.71.01.2001', 'pemda', 'follow-up-1', '2026-11-21T03:00:00.000Z'),
    notice('reminder', '12.71.01.2001', 'kemnaker', 'training', '2026-12-01T03:00:00.000Z'),
    notice('reminder', '35.09.01.2001', 'kemensos', 'aid', '2026-11-30T03:00:00.000Z'),
  ];

  it.each(['id', 'en'] as const)('sort by string in the order a manager means (%s)', (language) => {
    const subjects = ordered.map((n) => slaEmail(n, runUrl, threeDaysLate, language).subject);
    expect([...subjects].reverse().sort()).toEqual(subjects);
    expect([...subjects].sort((a, b) => a.localeCompare(b))).toEqual(subjects);
  });

  it('date the deadline in the region’s own zone: past midnight in Jayapura is the next day there', () => {
    const late = notice('breach', '91.71.01.2001', 'pemda', 'follow-up-1', '2026-11-23T15:30:00.000Z');
    expect(slaEmail(late, runUrl, threeDaysLate, 'id').subject).toBe('[Sinergi] 2 Terhambat · 91.71 · pemda · follow-up-1 · tenggat 2026-11-24 · denpasar-2026-tw4');
    expect(slaEmail({ ...late, region: '35.09.01.2001' }, runUrl, threeDaysLate, 'en').subject).toContain(' · deadline 2026-11-23 · ');
  });
});

describe("a manager's digest", () => {
  const items = [
    { runId: 'run:a:1', rolloutId: 'denpasar-2026-tw4', region: '51.71.01.2001', step: 'aid', agency: 'kemensos', deadline: '2026-11-20T06:30:00.000Z', daysOverdue: 3 },
    { runId: 'run:b:2', rolloutId: 'jember-2026-tw4', region: '35.09.01.2001', step: 'capital', agency: 'kemenkop', deadline: '2026-11-22T06:30:00.000Z', daysOverdue: 1 },
  ];
  const digest = (language: 'id' | 'en') =>
    digestEmail({ regions: ['51.71', '35.09'], total: 2, byAgency: { kemensos: 1, kemenkop: 1 }, oldest: items, publicBaseUrl: 'https://sinergi.test', now: new Date('2026-11-23T23:30:00.000Z'), language });

  it("dates the digest in the manager's first region's zone and each deadline in its own region's", () => {
    const mail = digest('id');
    // 23.30 UTC is already the 24th, 07.30, in Bali.
    expect(mail.subject).toBe('[Sinergi] Ringkasan harian · 2026-11-24 · 51.71, 35.09 · 2 tahap terhambat');
    expect(mail.text).toContain('2 tahap terhambat di wilayah 51.71, 35.09 per 24 November 2026, 07.30 WITA\n');
    expect(mail.text).toContain('Jumlah per instansi:\n  kemenkop: 1\n  kemensos: 1\n');
    expect(mail.text).toContain(
      '  terlambat 3 hari — kemensos, tahap aid, pelaksanaan program denpasar-2026-tw4, wilayah 51.71.01.2001, tenggat 20 November 2026, 14.30 WITA: https://sinergi.test/runs/run%3Aa%3A1\n',
    );
    expect(mail.text).toContain('tenggat 22 November 2026, 13.30 WIB: https://sinergi.test/runs/run%3Ab%3A2\n');
    expect(mail.html).toContain('<a href="https://sinergi.test/runs/run%3Aa%3A1">buka alur keluarga</a>');
  });

  it('is in English for a manager who prefers it', () => {
    const mail = digest('en');
    expect(mail.subject).toBe('[Sinergi] Daily digest · 2026-11-24 · 51.71, 35.09 · 2 stuck steps');
    expect(mail.text).toContain('2 stuck steps in 51.71, 35.09 as of 24 November 2026, 07:30 WITA\n');
    expect(mail.text).toContain('  1 day overdue — kemenkop, step capital, rollout jember-2026-tw4, region 35.09.01.2001, deadline 22 November 2026, 13:30 WIB: ');
  });
});

describe('the e-mail catalogs', () => {
  const keysOf = (catalog: object, prefix = ''): string[] =>
    Object.entries(catalog).flatMap(([key, value]) => (typeof value === 'object' ? keysOf(value as object, `${prefix}${key}.`) : [`${prefix}${key.replace(/_(one|other)$/, '')}`]));

  it('say the same things in both languages (English adds plural forms)', () => {
    expect([...new Set(keysOf(en))].sort()).toEqual([...new Set(keysOf(id))].sort());
  });
});

describe('sending a notice', () => {
  let sink: MailSink;
  const contacts = ContactsSchema.parse({
    focalPoints: { kemenkop: [{ name: 'Focal kemenkop', email: 'focal.kemenkop@sinergi.test' }] },
    managers: [{ name: 'Manager 51.71', email: 'manager.5171@sinergi.test', regions: ['51.71'] }],
    escalation: [{ name: 'Province 51', email: 'province.51@sinergi.test', regions: ['51'], language: 'en' }],
  });
  const deps = () => ({ smtpUrl: sink.smtpUrl, from: 'Sinergi test <sinergi@test>', contacts, publicBaseUrl: 'https://sinergi.test' });
  const dueIn = (ms: number) => new Date(Date.now() + ms).toISOString();

  beforeAll(async () => {
    sink = await startMailSink({ host: '127.0.0.1', smtpPort: 0, httpPort: 0 });
  });
  beforeEach(() => sink.clear());
  afterAll(() => sink?.close());

  it('defaults every contact to Bahasa Indonesia', () => {
    expect(contacts.focalPoints.kemenkop?.[0]?.language).toBe('id');
    expect(ContactsSchema.safeParse({ managers: [{ name: 'M', email: 'm@sinergi.test', regions: ['51'], language: 'jv' }] }).success).toBe(false);
  });

  it('lists each reader once, Indonesian readers first; a person listed twice reads English if either entry asks for it', () => {
    const person = (email: string, language: 'id' | 'en') => ({ name: email, email, language });
    const grouped = addressesByLanguage([person('a@x.test', 'en'), person('b@x.test', 'id'), person('c@x.test', 'id'), person('b@x.test', 'id'), person('c@x.test', 'en')]);
    expect([...grouped]).toEqual([
      ['id', ['b@x.test']],
      ['en', ['a@x.test', 'c@x.test']],
    ]);
    expect([...addressesByLanguage([person('a@x.test', 'en')])]).toEqual([['en', ['a@x.test']]]);
  });

  it('sends an Indonesian reader the Indonesian e-mail over SMTP', async () => {
    const { recipients } = await createNotificationActivities(deps()).notifySla({ ...capitalNotice, deadline: dueIn(-3_600_000) });
    expect(recipients).toBe(2);
    const [mail, ...more] = sink.messages();
    expect(more).toEqual([]);
    expect(mail!.to.sort()).toEqual(['focal.kemenkop@sinergi.test', 'manager.5171@sinergi.test']);
    expect(mail!.subject).toMatch(/^\[Sinergi\] 2 Terhambat · 51\.71 · kemenkop · capital · tenggat \d{4}-\d{2}-\d{2} · denpasar-2026-tw4$/);
    expect(mail!.text).toContain(`Jumlah: Rp${nbsp}5.000.000\n`);
    expect(mail!.text).toMatch(/Tenggat: \d{1,2} \S+ \d{4}, \d{2}\.\d{2} WITA\n/);
  });

  it('sends one e-mail per language when the readers mix, each to its own readers', async () => {
    const { recipients } = await createNotificationActivities(deps()).notifySla({ ...capitalNotice, kind: 'escalation', deadline: dueIn(-4 * 86_400_000) });
    expect(recipients).toBe(2);
    const mails = sink.messages();
    expect(mails.map((m) => [m.to, m.subject.split(' · ')[0]])).toEqual([
      [['manager.5171@sinergi.test'], '[Sinergi] 1 Eskalasi'],
      [['province.51@sinergi.test'], '[Sinergi] 1 Escalation'],
    ]);
    expect(mails[0]!.text).toContain('terlambat 4 hari');
    expect(mails[1]!.text).toContain('is 4 days overdue');
    expect(mails[1]!.text).toContain(`Amount: Rp${nbsp}5.000.000\n`);
    expect(mails[1]!.text).toMatch(/Deadline: \d{1,2} [A-Z][a-z]+ \d{4}, \d{2}:\d{2} WITA\n/);
  });

  it('gives each language its own message id, the same again when a send is retried', async () => {
    const transport = createTransport({ jsonTransport: true });
    const sendMail = vi.spyOn(transport, 'sendMail');
    const activities = createNotificationActivities(deps(), transport);
    const notice = { ...capitalNotice, kind: 'escalation' as const };
    await activities.notifySla(notice);
    await activities.notifySla(notice);
    const sent = sendMail.mock.calls.map(([options]) => [options.messageId, options.headers]);
    expect(sent).toEqual([
      ['<escalation.id.task.run.denpasar-2026-tw4.5171010101010001.capital.1@sinergi>', { 'Content-Language': 'id' }],
      ['<escalation.en.task.run.denpasar-2026-tw4.5171010101010001.capital.1@sinergi>', { 'Content-Language': 'en' }],
      ['<escalation.id.task.run.denpasar-2026-tw4.5171010101010001.capital.1@sinergi>', { 'Content-Language': 'id' }],
      ['<escalation.en.task.run.denpasar-2026-tw4.5171010101010001.capital.1@sinergi>', { 'Content-Language': 'en' }],
    ]);
  });

  it('sends nothing when nobody answers for the region', async () => {
    const { recipients } = await createNotificationActivities(deps()).notifySla({ ...capitalNotice, kind: 'escalation', region: '35.09.01.2001' });
    expect(recipients).toBe(0);
    expect(sink.messages()).toEqual([]);
  });
});
