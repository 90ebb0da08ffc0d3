import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { AgencyDefinition } from '../agencies/agency-definition';
import { AgencySchema, agencies, byAgency, type Agency } from '../domain/agency';
import type { PayloadKey } from '../temporal/payload-codec';

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

/** Unset and empty are the same (docker-compose passes `${VAR:-}` through as an empty string). */
const optional = z.string().optional().transform((s) => (s?.trim() ? s.trim() : undefined));
const origin = z.string().refine((s) => URL.canParse(s) && new URL(s).origin === s, 'must be an origin: scheme://host[:port], no path or trailing slash');

/**
 * The key `npm start` and the tests encrypt Temporal payloads with when none is configured. Known
 * to everyone, so a production start refuses it (payloadKeyRing).
 */
export const developmentPayloadKey: PayloadKey = { id: 'sinergi-dev', key: Buffer.from('sinergi-dev-payload-key-00000000') };

/** The key households are pseudonymised with when none is configured; refused in production likewise (householdPseudonymKey). */
export const developmentHouseholdKey = Buffer.from('sinergi-dev-household-key-000000');

/** Every environment key Sinergi reads, with the embedded one-machine defaults (see .env.example). */
const EnvSchema = z.object({
  TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().regex(/^[A-Za-z0-9_-]+$/).default('sinergi'),
  TEMPORAL_UI_PORT: port.default(8233),
  TEMPORAL_UI_URL: url.default('http://127.0.0.1:8233'),
  DATA_DIR: z.string().default('data'),
  DATABASE_URL: optional.pipe(z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional()),
  EMBEDDED_POSTGRES_PORT: port.default(5433),
  ROLLOUT_STARTS_PER_SECOND: z.coerce.number().min(1).max(5_000).default(100),
  ROLLOUT_BATCH_SIZE: z.coerce.number().int().min(1).max(2_000).default(200),
  API_HOST: z.string().default('127.0.0.1'),
  API_PORT: port.default(8080),
  PUBLIC_BASE_URL: url.default('http://127.0.0.1:8080'),
  API_PAGE_TOKEN_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  WORKER_RUNS_WORKFLOWS: bool.default(true),
  WORKER_AGENCIES: z
    .string()
    .default(agencies.join(','))
    .transform((s) => s.split(',').map((a) => a.trim()).filter(Boolean))
    .pipe(z.array(AgencySchema)),
  WORKER_METRICS_HOST: z.string().default('127.0.0.1'),
  // 0: a free port, logged at start (several workers on one machine each need their own).
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  // The memory a worker that runs workflows may use: its cache of workflows in memory is sized from it (worker/workflow-cache.ts).
  WORKER_MEMORY_MB: z.coerce.number().int().min(512).max(1_048_576).default(2048),
  METRICS_TOKEN: optional.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  WEBHOOK_TOLERANCE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
  AUTH_CREDENTIALS_FILE: z.string().default('config/dev-credentials.json'),
  RATE_LIMIT_API_PER_MINUTE: z.coerce.number().int().min(1).default(1_200),
  RATE_LIMIT_WEBHOOKS_PER_MINUTE: z.coerce.number().int().min(1).default(12_000),
  RATE_LIMIT_SIGN_INS_PER_MINUTE: z.coerce.number().int().min(1).default(10),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(7 * 24).default(12),
  SIM_HOST: z.string().default('127.0.0.1'),
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
  NODE_ENV: optional,
  SINERGI_PAYLOAD_KEYS: optional,
  SINERGI_PAYLOAD_KEYS_FILE: optional,
  SINERGI_HOUSEHOLD_KEY: optional,
  SINERGI_HOUSEHOLD_KEY_FILE: optional,
  SINERGI_TEMPORAL_UI_ORIGIN: optional.pipe(
    z
      .string()
      .transform((s) => s.split(',').map((o) => o.trim()).filter(Boolean))
      .pipe(z.array(origin))
      .optional(),
  ),
});
type Env = z.infer<typeof EnvSchema>;

const PayloadKeyIdSchema = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'the key id must be 1-64 letters, digits and ._-');
const base64Key = z
  .string()
  .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'the key must be base64')
  .transform((s) => Buffer.from(s, 'base64'))
  .refine((key) => key.length === 32, 'the key must be 32 bytes of base64 (openssl rand -base64 32)');

/**
 * The payload key ring from `SINERGI_PAYLOAD_KEYS` or the file `SINERGI_PAYLOAD_KEYS_FILE` names:
 * `id:base64key` entries separated by commas (or lines in the file), the current key first.
 * Problems name the variable and the entry by its id, never the key.
 */
function readPayloadKeys(env: Env): { value?: PayloadKey[]; issues: { key: string; message: string }[] } {
  const [variable, text] = env.SINERGI_PAYLOAD_KEYS_FILE
    ? (['SINERGI_PAYLOAD_KEYS_FILE', readKeysFile(env.SINERGI_PAYLOAD_KEYS_FILE)] as const)
    : (['SINERGI_PAYLOAD_KEYS', env.SINERGI_PAYLOAD_KEYS] as const);
  if (env.SINERGI_PAYLOAD_KEYS && env.SINERGI_PAYLOAD_KEYS_FILE) return { issues: [{ key: variable, message: 'set SINERGI_PAYLOAD_KEYS or SINERGI_PAYLOAD_KEYS_FILE, not both' }] };
  if (text instanceof Error) return { issues: [{ key: variable, message: text.message }] };
  if (text === undefined) return { value: [], issues: [] };
  const entries = text.split(/[,\n]/).map((e) => e.trim()).filter((e) => e && !e.startsWith('#'));
  if (entries.length === 0) return { issues: [{ key: variable, message: 'lists no key; expected id:base64key[,id:base64key...], the current key first' }] };
  const issues: { key: string; message: string }[] = [];
  const keys: PayloadKey[] = [];
  entries.forEach((entry, i) => {
    const colon = entry.indexOf(':');
    const id = PayloadKeyIdSchema.safeParse(colon < 0 ? entry : entry.slice(0, colon));
    const key = base64Key.safeParse(colon < 0 ? '' : entry.slice(colon + 1).trim());
    const name = id.success ? `"${id.data}"` : `entry ${i + 1}`;
    if (colon < 0) issues.push({ key: variable, message: `${name}: expected id:base64key` });
    else if (!id.success) issues.push({ key: variable, message: `${name}: ${id.error.issues[0]?.message}` });
    else if (!key.success) issues.push({ key: variable, message: `${name}: ${key.error.issues[0]?.message}` });
    else if (keys.some((k) => k.id === id.data)) issues.push({ key: variable, message: `${name} is listed twice` });
    else keys.push({ id: id.data, key: key.data });
  });
  return issues.length ? { issues } : { value: keys, issues };
}

/**
 * The household pseudonym key from `SINERGI_HOUSEHOLD_KEY` (base64 of 32 bytes) or the file
 * `SINERGI_HOUSEHOLD_KEY_FILE` names. Problems name the variable, never the key.
 */
function readHouseholdKey(env: Env): { value?: Buffer; issues: { key: string; message: string }[] } {
  const [variable, text] = env.SINERGI_HOUSEHOLD_KEY_FILE
    ? (['SINERGI_HOUSEHOLD_KEY_FILE', readKeysFile(env.SINERGI_HOUSEHOLD_KEY_FILE)] as const)
    : (['SINERGI_HOUSEHOLD_KEY', env.SINERGI_HOUSEHOLD_KEY] as const);
  if (env.SINERGI_HOUSEHOLD_KEY && env.SINERGI_HOUSEHOLD_KEY_FILE) return { issues: [{ key: variable, message: 'set SINERGI_HOUSEHOLD_KEY or SINERGI_HOUSEHOLD_KEY_FILE, not both' }] };
  if (text instanceof Error) return { issues: [{ key: variable, message: text.message }] };
  if (text === undefined) return { issues: [] };
  const key = base64Key.safeParse(text.trim());
  return key.success ? { value: key.data, issues: [] } : { issues: [{ key: variable, message: key.error.issues[0]?.message ?? 'the key must be 32 bytes of base64' }] };
}

function readKeysFile(file: string): string | Error {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    return new Error(`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** The environment keys of one agency, named after it: `<AGENCY>_URL`, one per credential, the secrets, its simulator's port. */
export function agencyEnvKeys(definition: AgencyDefinition) {
  const prefix = definition.name.toUpperCase();
  return {
    url: `${prefix}_URL`,
    credentials: Object.fromEntries(Object.keys(definition.credentials).map((suffix) => [suffix, `${prefix}_${suffix}`])),
    webhookSecrets: `${prefix}_WEBHOOK_SECRETS`,
    requestSecret: `${prefix}_REQUEST_SECRET`,
    simulatorPort: `SIM_${prefix}_PORT`,
  };
}

const AgencyEnvSchema = z.object({
  url,
  /** By the definition's credential names (API_KEY, TOKEN...). */
  credentials: z.record(z.string(), z.string().min(1)),
  requestSecret: whsec,
  webhookSecrets: secretList,
  simulatorPort: port,
});
type AgencyEnv = z.output<typeof AgencyEnvSchema>;

/** One agency's keys, with the one-machine defaults its definition gives (its simulator on its port). */
function readAgencyEnv(definition: AgencyDefinition, env: NodeJS.ProcessEnv) {
  const keys = agencyEnvKeys(definition);
  const parsed = AgencyEnvSchema.safeParse({
    url: env[keys.url] ?? `http://127.0.0.1:${definition.simulator.port}`,
    credentials: Object.fromEntries(Object.entries(definition.credentials).map(([name, devDefault]) => [name, env[keys.credentials[name]!] ?? devDefault])),
    requestSecret: env[keys.requestSecret] ?? devSecret(definition.name, 'request'),
    webhookSecrets: env[keys.webhookSecrets] ?? devSecret(definition.name, 'webhook'),
    simulatorPort: env[keys.simulatorPort] ?? definition.simulator.port,
  });
  // Named by the environment key, like every other setting.
  const keyOf = ([field, name]: PropertyKey[]) => (field === 'credentials' ? keys.credentials[String(name)] : keys[field as Exclude<keyof typeof keys, 'credentials'>]);
  return { value: parsed.data, issues: (parsed.error?.issues ?? []).map((i) => ({ key: keyOf(i.path), message: i.message })) };
}

function shape(env: Env, agencyEnvs: Record<Agency, AgencyEnv>, payloadKeys: PayloadKey[], householdKey: Buffer | undefined) {
  return {
    /** NODE_ENV=production, as the Dockerfile sets it: development defaults are refused where they matter. */
    production: env.NODE_ENV === 'production',
    temporal: {
      address: env.TEMPORAL_ADDRESS,
      namespace: env.TEMPORAL_NAMESPACE,
      taskQueue: env.TEMPORAL_TASK_QUEUE,
      uiPort: env.TEMPORAL_UI_PORT,
      uiUrl: env.TEMPORAL_UI_URL,
      /** The origins whose pages (the Temporal UI) may call the codec endpoint from the browser. */
      uiOrigins: env.SINERGI_TEMPORAL_UI_ORIGIN ?? [new URL(env.TEMPORAL_UI_URL).origin],
    },
    /** The key ring Temporal payloads are encrypted with, the current key first; empty when none is configured. */
    payloadKeys,
    /** The key households are pseudonymised with in Temporal (lib/household-pseudonym.ts); absent when none is configured. */
    householdKey,
    dataDir: env.DATA_DIR,
    /** Sinergi's records store; npm start runs an embedded PostgreSQL (under DATA_DIR, on its port) when no URL is given. */
    records: { databaseUrl: env.DATABASE_URL, embeddedPort: env.EMBEDDED_POSTGRES_PORT },
    rolloutPace: { startsPerSecond: env.ROLLOUT_STARTS_PER_SECOND, batchSize: env.ROLLOUT_BATCH_SIZE },
    api: { host: env.API_HOST, port: env.API_PORT, publicBaseUrl: env.PUBLIC_BASE_URL, pageTokenSecret: env.API_PAGE_TOKEN_SECRET },
    worker: { runsWorkflows: env.WORKER_RUNS_WORKFLOWS, agencies: env.WORKER_AGENCIES, metricsHost: env.WORKER_METRICS_HOST, metricsPort: env.WORKER_METRICS_PORT, memoryMb: env.WORKER_MEMORY_MB },
    /** The bearer token a Prometheus scrape of the API's and the workers' /metrics must send; open to any scraper when absent. */
    metrics: { token: env.METRICS_TOKEN },
    agencies: byAgency((_d, a) => ({ url: agencyEnvs[a].url, credentials: agencyEnvs[a].credentials, requestSecret: agencyEnvs[a].requestSecret })),
    webhooks: { secrets: byAgency((_d, a) => agencyEnvs[a].webhookSecrets), toleranceSeconds: env.WEBHOOK_TOLERANCE_SECONDS },
    auth: { credentialsFile: env.AUTH_CREDENTIALS_FILE },
    rateLimits: { apiPerMinute: env.RATE_LIMIT_API_PER_MINUTE, webhooksPerMinute: env.RATE_LIMIT_WEBHOOKS_PER_MINUTE, signInsPerMinute: env.RATE_LIMIT_SIGN_INS_PER_MINUTE },
    // Behind a proxy that ends TLS the API sees http; the public URL says the cookie travels over https.
    sessions: { idleMinutes: env.SESSION_IDLE_MINUTES, maxHours: env.SESSION_MAX_HOURS, secureCookies: env.PUBLIC_BASE_URL.startsWith('https://') },
    simulators: {
      host: env.SIM_HOST,
      ports: byAgency((_d, a) => agencyEnvs[a].simulatorPort),
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
export type AgencyEndpoint = AgencyEndpoints[Agency];
export type WebhookSecrets = Config['webhooks']['secrets'];

/** Reads the environment once; exits with a readable message naming each bad key. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  const agencyEnvs = byAgency((definition) => readAgencyEnv(definition, env));
  const payloadKeys = parsed.success ? readPayloadKeys(parsed.data) : { issues: [] };
  const householdKey = parsed.success ? readHouseholdKey(parsed.data) : { issues: [] };
  const problems = [
    ...(parsed.error?.issues ?? []).map((i) => ({ key: i.path.join('.'), message: i.message })),
    ...agencies.flatMap((a) => agencyEnvs[a].issues),
    ...payloadKeys.issues,
    ...householdKey.issues,
  ];
  if (!parsed.success || problems.length > 0) {
    throw new Error(`Invalid configuration:\n${problems.map((p) => `  ${p.key}: ${p.message}`).join('\n')}`);
  }
  return shape(parsed.data, byAgency((_d, a) => agencyEnvs[a].value!), payloadKeys.value!, householdKey.value);
}

/**
 * The key ring a process that talks to Temporal encrypts with: the configured one, else (not in
 * production) the development key. A production start with no key, or with the development key
 * anywhere in its ring, is refused: payloads it wrote could be read by anyone with this code.
 */
export function payloadKeyRing(config: Config): PayloadKey[] {
  const isDevelopmentKey = (k: PayloadKey) => k.id === developmentPayloadKey.id || Buffer.from(k.key).equals(Buffer.from(developmentPayloadKey.key));
  if (!config.production) return config.payloadKeys.length ? config.payloadKeys : [developmentPayloadKey];
  const problem =
    config.payloadKeys.length === 0
      ? 'no payload encryption key is configured'
      : config.payloadKeys.some(isDevelopmentKey)
        ? 'the development payload key is in the key ring'
        : undefined;
  if (!problem) return config.payloadKeys;
  throw new Error(
    `Refusing to start in production (NODE_ENV=production): ${problem}. Set SINERGI_PAYLOAD_KEYS=id:base64key (a key from \`openssl rand -base64 32\`), or SINERGI_PAYLOAD_KEYS_FILE, the current key first; see .env.example.`,
  );
}

/**
 * The key a process that talks to Temporal pseudonymises households with: the configured one,
 * else (not in production) the development key. A production start without one, or with the
 * development key, is refused: anyone with this code could tell whose runs they were. Unlike the
 * payload keys it is never rotated: every run id is derived from it (lib/household-pseudonym.ts).
 */
export function householdPseudonymKey(config: Config): Buffer {
  if (!config.production) return config.householdKey ?? developmentHouseholdKey;
  const problem = !config.householdKey
    ? 'no household pseudonym key is configured'
    : config.householdKey.equals(developmentHouseholdKey)
      ? 'the household pseudonym key is the development key'
      : undefined;
  if (!problem) return config.householdKey!;
  throw new Error(
    `Refusing to start in production (NODE_ENV=production): ${problem}. Set SINERGI_HOUSEHOLD_KEY to a key from \`openssl rand -base64 32\`, or SINERGI_HOUSEHOLD_KEY_FILE; it cannot be changed once runs exist; see .env.example.`,
  );
}
