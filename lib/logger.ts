import pino, { type Logger } from 'pino';

/** Household identity and contact details never reach a log line, whatever an object holds. */
const redactedKeys = [
  'nik',
  'headNik',
  'name',
  'headName',
  'phone',
  'email',
  'household',
  'authorization',
  'password',
  'apiKey',
  'token',
  'clientSecret',
];
const redactPaths = redactedKeys.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);

export function createLogger(level: string, name: string, destination?: pino.DestinationStream): Logger {
  return pino({ base: { service: name }, level, redact: { paths: redactPaths, censor: '[redacted]' } }, destination);
}

export type { Logger };
