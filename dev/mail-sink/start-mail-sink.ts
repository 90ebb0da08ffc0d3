import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  id: number;
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  receivedAt: string;
}

/**
 * A local SMTP server that keeps what it receives and shows it over HTTP (GET /messages),
 * so e-mail goes over real SMTP in development and tests and can be read back.
 */
export async function startMailSink(options: { host: string; smtpPort: number; httpPort: number }) {
  const messages: ReceivedMail[] = [];
  let nextId = 1;
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          messages.push({
            id: nextId++,
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: mail.subject ?? '',
            text: mail.text ?? '',
            html: typeof mail.html === 'string' ? mail.html : '',
            receivedAt: new Date().toISOString(),
          });
          callback();
        })
        .catch((err: Error) => callback(err));
    },
  });
  await new Promise<void>((resolve, reject) => {
    smtp.once('error', reject);
    smtp.listen(options.smtpPort, options.host, () => resolve());
  });
  const smtpPort = (smtp.server.address() as AddressInfo).port;

  const app = express();
  app.get('/messages', (req, res) => {
    const to = typeof req.query.to === 'string' ? req.query.to : undefined;
    res.json(to ? messages.filter((m) => m.to.includes(to)) : messages);
  });
  app.delete('/messages', (_req, res) => {
    messages.length = 0;
    res.status(204).end();
  });
  const http: Server = await new Promise((resolve, reject) => {
    const s = app.listen(options.httpPort, options.host, () => resolve(s)).once('error', reject);
  });
  const httpPort = (http.address() as AddressInfo).port;

  return {
    smtpUrl: `smtp://${options.host}:${smtpPort}`,
    httpUrl: `http://${options.host}:${httpPort}`,
    messages: () => [...messages],
    clear: () => void (messages.length = 0),
    async close(): Promise<void> {
      http.closeAllConnections();
      await Promise.all([new Promise((r) => http.close(r)), new Promise((r) => smtp.close(() => r(undefined)))]);
    },
  };
}
export type MailSink = Awaited<ReturnType<typeof startMailSink>>;
