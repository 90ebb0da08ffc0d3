import { z } from 'zod';
import { AgencySchema } from '../domain/agency';

const port = z.coerce.number().int().min(1).max(65535);
const bool = z.enum(['true', 'false']).transform((v) => v === 'true');
const url = z.url().transform((u) => u.replace(/\/+$/, ''));
const whsec = z.string().regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/, 'must be a Standard Webhooks secret: whsec_<base64>');
/** Comma-separated secrets, the current one first; the others are still accepted while a rotation runs. */
const secretList = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
  .pipe(z.array(whsec).min(1, 'needs at least one secret'));

const devSecret = (agency: string, use: 'webhook' | 'request') =>
  `whsec_${Buffer.from(`sinergi-dev-${agency}-${use}-secret-0000000`.slice(0, 32)).toString('base64')}`;

/** Every environment key Sinergi reads, with the embedded one-machine defaults (see .env.example). */
const EnvSchema = z.object({
  TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().regex(/^[A-Za-z0-9_-]+$/).default('sinergi'),
  TEMPORAL_UI_PORT: port.default(8233),
  TEMPORAL_UI_URL: url.default('http://127.0.0.1:8233'),
  DATA_DIR: z.string().default('data'),
  ROLLOUT_STARTS_PER_SECOND: z.coerce.number().min(1).max(5_000).default(100),
  ROLLOUT_BATCH_SIZE: z.coerce.number().int().min(1).max(2_000).default(200),
  API_HOST: z.string().default('127.0.0.1'),
  API_PORT: port.default(8080),
  PUBLIC_BASE_URL: url.default('http://127.0.0.1:8080'),
  WORKER_RUNS_WORKFLOWS: bool.default(true),
  WORKER_AGENCIES: z
    .string()
    .default('kemensos,kemnaker,kemenkop,pemda')
    .transform((s) => s.split(',').map((a) => a.trim()).filter(Boolean))
    .pipe(z.array(AgencySchema)),
  KEMENSOS_URL: url.default('http://127.0.0.1:9101'),
  KEMENSOS_API_KEY: z.string().min(1).default('dev-kemensos-key'),
  KEMNAKER_URL: url.default('http://127.0.0.1:9102'),
  KEMNAKER_TOKEN: z.string().min(1).default('dev-kemnaker-token'),
  KEMENKOP_URL: url.default('http://127.0.0.1:9103'),
  KEMENKOP_CLIENT_ID: z.string().min(1).default('sinergi'),
  KEMENKOP_CLIENT_SECRET: z.string().min(1).default('dev-kemenkop-secret'),
  PEMDA_URL: url.default('http://127.0.0.1:9104'),
  PEMDA_USERNAME: z.string().min(1).default('sinergi'),
  PEMDA_PASSWORD: z.string().min(1).default('dev-pemda-password'),
  KEMENSOS_WEBHOOK_SECRETS: secretList.default([devSecret('kemensos', 'webhook')]),
  KEMNAKER_WEBHOOK_SECRETS: secretList.default([devSecret('kemnaker', 'webhook')]),
  KEMENKOP_WEBHOOK_SECRETS: secretList.default([devSecret('kemenkop', 'webhook')]),
  PEMDA_WEBHOOK_SECRETS: secretList.default([devSecret('pemda', 'webhook')]),
  KEMENSOS_REQUEST_SECRET: whsec.default(devSecret('kemensos', 'request')),
  KEMNAKER_REQUEST_SECRET: whsec.default(devSecret('kemnaker', 'request')),
  KEMENKOP_REQUEST_SECRET: whsec.default(devSecret('kemenkop', 'request')),
  PEMDA_REQUEST_SECRET: whsec.default(devSecret('pemda', 'request')),
  WEBHOOK_TOLERANCE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
  AUTH_CREDENTIALS_FILE: z.string().default('config/dev-credentials.json'),
  RATE_LIMIT_API_PER_MINUTE: z.coerce.number().int().min(1).default(1_200),
  RATE_LIMIT_WEBHOOKS_PER_MINUTE: z.coerce.number().int().min(1).default(12_000),
  SIM_HOST: z.string().default('127.0.0.1'),
  SIM_KEMENSOS_PORT: port.default(9101),
  SIM_KEMNAKER_PORT: port.default(9102),
  SIM_KEMENKOP_PORT: port.default(9103),
  SIM_PEMDA_PORT: port.default(9104),
  SIM_WEBHOOK_BASE_URL: url.default('http://127.0.0.1:8080'),
  SIM_DELAY_MS: z.coerce.number().int().min(0).default(3000),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL').default('smtp://127.0.0.1:1025'),
  MAIL_FROM: z.string().min(3).default('Sinergi <sinergi@localhost>'),
  CONTACTS_FILE: z.string().default('config/contacts.json'),
  DIGEST_HOUR: z.coerce.number().int().min(0).max(23).default(7),
  DIGEST_TIMEZONE: z.string().min(1).default('Asia/Jakarta'),
  MAIL_SINK_HOST: z.string().default('127.0.0.1'),
  MAIL_SINK_SMTP_PORT: port.default(1025),
  MAIL_SINK_HTTP_PORT: port.default(8025),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'silent']).default('info'),
});

function shape(env: z.infer<typeof EnvSchema>) {
  return {
    temporal: {
      address: env.TEMPORAL_ADDRESS,
      namespace: env.TEMPORAL_NAMESPACE,
      taskQueue: env.TEMPORAL_TASK_QUEUE,
      uiPort: env.TEMPORAL_UI_PORT,
      uiUrl: env.TEMPORAL_UI_URL,
    },
    dataDir: env.DATA_DIR,
    rolloutPace: { startsPerSecond: env.ROLLOUT_STARTS_PER_SECOND, batchSize: env.ROLLOUT_BATCH_SIZE },
    api: { host: env.API_HOST, port: env.API_PORT, publicBaseUrl: env.PUBLIC_BASE_URL },
    worker: { runsWorkflows: env.WORKER_RUNS_WORKFLOWS, agencies: env.WORKER_AGENCIES },
    agencies: {
      kemensos: { url: env.KEMENSOS_URL, apiKey: env.KEMENSOS_API_KEY, requestSecret: env.KEMENSOS_REQUEST_SECRET },
      kemnaker: { url: env.KEMNAKER_URL, token: env.KEMNAKER_TOKEN, requestSecret: env.KEMNAKER_REQUEST_SECRET },
      kemenkop: {
        url: env.KEMENKOP_URL,
        clientId: env.KEMENKOP_CLIENT_ID,
        clientSecret: env.KEMENKOP_CLIENT_SECRET,
        requestSecret: env.KEMENKOP_REQUEST_SECRET,
      },
      pemda: { url: env.PEMDA_URL, username: env.PEMDA_USERNAME, password: env.PEMDA_PASSWORD, requestSecret: env.PEMDA_REQUEST_SECRET },
    },
    webhooks: {
      secrets: {
        kemensos: env.KEMENSOS_WEBHOOK_SECRETS,
        kemnaker: env.KEMNAKER_WEBHOOK_SECRETS,
        kemenkop: env.KEMENKOP_WEBHOOK_SECRETS,
        pemda: env.PEMDA_WEBHOOK_SECRETS,
      },
      toleranceSeconds: env.WEBHOOK_TOLERANCE_SECONDS,
    },
    auth: { credentialsFile: env.AUTH_CREDENTIALS_FILE },
    rateLimits: { apiPerMinute: env.RATE_LIMIT_API_PER_MINUTE, webhooksPerMinute: env.RATE_LIMIT_WEBHOOKS_PER_MINUTE },
    simulators: {
      host: env.SIM_HOST,
      ports: {
        kemensos: env.SIM_KEMENSOS_PORT,
        kemnaker: env.SIM_KEMNAKER_PORT,
        kemenkop: env.SIM_KEMENKOP_PORT,
        pemda: env.SIM_PEMDA_PORT,
      },
      webhookBaseUrl: env.SIM_WEBHOOK_BASE_URL,
      delayMs: env.SIM_DELAY_MS,
    },
    mail: { smtpUrl: env.SMTP_URL, from: env.MAIL_FROM, contactsFile: env.CONTACTS_FILE },
    digest: { hour: env.DIGEST_HOUR, timezone: env.DIGEST_TIMEZONE },
    mailSink: { host: env.MAIL_SINK_HOST, smtpPort: env.MAIL_SINK_SMTP_PORT, httpPort: env.MAIL_SINK_HTTP_PORT },
    logLevel: env.LOG_LEVEL,
  };
}

export type Config = ReturnType<typeof shape>;
export type AgencyEndpoints = Config['agencies'];
export type WebhookSecrets = Config['webhooks']['secrets'];

/** Reads the environment once; exits with a readable message naming each bad key. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid configuration:\n${problems}`);
  }
  return shape(parsed.data);
}
