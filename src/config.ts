// Typed configuration from the environment: one zod schema over env vars, a nested Config,
// and a readable error naming the variable when a value is wrong. Pure: loadConfig(env).
import { isIPv4 } from 'node:net';
import { z } from 'zod';
import { isIpRange } from './ip-ranges.ts';

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const positiveInt = (min: number, max: number, fallback: number) =>
  z.coerce
    .number({ error: `must be a whole number between ${min} and ${max}` })
    .int(`must be a whole number between ${min} and ${max}`)
    .min(min, `must be a whole number between ${min} and ${max}`)
    .max(max, `must be a whole number between ${min} and ${max}`)
    .default(fallback);

const UNIT_SECONDS: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600 };

/** A duration as people write it — 600 (seconds), 600s, 10m, 1h — in seconds. */
const durationSeconds = (min: number, max: number, fallback: string) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const text = raw?.trim() || fallback;
      const match = /^(\d{1,7})\s*([smh]?)$/i.exec(text);
      const seconds = match ? Number(match[1]) * UNIT_SECONDS[match[2]!.toLowerCase()]! : Number.NaN;
      if (seconds >= min && seconds <= max) return seconds;
      ctx.addIssue({
        code: 'custom',
        message: `must be a duration from ${min}s to ${max / 3600}h: seconds, or a number with s, m or h (e.g. 600, 10m, 1h)`,
      });
      return z.NEVER;
    });

const idList = z
  .string()
  .default('')
  .transform((raw, ctx) => {
    const ids: number[] = [];
    for (const part of raw.split(',').map((p) => p.trim())) {
      if (part === '') continue;
      if (!/^\d{1,15}$/.test(part)) {
        ctx.addIssue({ code: 'custom', message: `"${part}" is not a numeric Telegram user id` });
        return z.NEVER;
      }
      ids.push(Number(part));
    }
    return ids;
  });

const envSchema = z.object({
  TELEGRAM_BOT_TOKEN: optionalText.pipe(
    z
      .string()
      .regex(/^\d+:[\w-]{20,}$/, 'must look like 123456:ABC-DEF… (the token @BotFather gave you)')
      .optional(),
  ),
  TELEGRAM_API_ROOT: z
    .url('must be a URL such as https://api.telegram.org')
    .default('https://api.telegram.org'),
  TELEGRAM_ADMIN_IDS: idList,
  TELEGRAM_WEBHOOK_URL: optionalText.pipe(
    z
      .url({ protocol: /^https?$/, error: 'must be the public https:// URL Telegram posts updates to' })
      .optional(),
  ),
  TELEGRAM_WEBHOOK_SECRET: optionalText.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9_-]{16,256}$/, 'must be 16–256 characters of A–Z, a–z, 0–9, _ and -')
      .optional(),
  ),
  TELEGRAM_WEBHOOK_PORT: positiveInt(1, 65535, 8443),
  TELEGRAM_WEBHOOK_HOST: z.string().trim().min(1).default('127.0.0.1'),
  BOT_UPDATE_CONCURRENCY: positiveInt(1, 256, 16),
  // Telegram keeps an update for a day; an older one is never delivered anyway.
  BOT_UPDATE_MAX_AGE: durationSeconds(30, 24 * 3600, '10m'),
  DATABASE_URL: optionalText.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\/.+/, 'must be a postgres:// or postgresql:// URL')
      .optional(),
  ),
  DATA_DIR: z.string().trim().min(1).default('./.data'),
  EMBEDDED_POSTGRES_PORT: positiveInt(1, 65535, 54329),
  ROLE: z.enum(['all', 'bot', 'worker'], 'must be one of: all, bot, worker').default('all'),
  WORKER_CONCURRENCY: positiveInt(1, 16, 2),
  SHUTDOWN_GRACE_SECONDS: positiveInt(0, 3600, 30),
  WARMUP_SITE_PROFILE: optionalText,
  WARMUP_SITE_PROFILES: optionalText,
  BROWSER_EXECUTABLE_PATH: optionalText,
  DOLPHIN_API_URL: optionalText.pipe(
    z
      .string()
      .regex(/^https?:\/\/[^\s/]+\/?$/, 'must be the local API root, e.g. http://127.0.0.1:3001')
      .optional(),
  ),
  DOLPHIN_API_TOKEN: optionalText,
  SESSION_ENCRYPTION_KEY: optionalText.pipe(
    z
      .string()
      .regex(/^([0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=)$/, 'must be 32 bytes as 64 hex characters or base64')
      .optional(),
  ),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'must be a pino level such as info')
    .default('info'),
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty'], 'must be one of: auto, json, pretty').default('auto'),
  HTTP_PORT: positiveInt(0, 65535, 8080),
  HTTP_HOST: z.string().trim().min(1).default('127.0.0.1'),
  ADMIN_PASSWORD: optionalText.pipe(
    z.string().min(16, 'must be at least 16 characters: it guards the queue dashboard').optional(),
  ),
  HTTP_TRUSTED_PROXIES: z
    .string()
    .default('')
    .transform((raw, ctx) => {
      const entries = raw
        .split(',')
        .map((p) => p.trim())
        .filter((p) => p !== '');
      const bad = entries.find((entry) => !isIpRange(entry));
      if (bad === undefined) return entries;
      ctx.addIssue({
        code: 'custom',
        message: `"${bad}" is not an IP address or a CIDR range such as 10.0.0.0/8`,
      });
      return z.NEVER;
    }),
  OPS_TOKEN: optionalText.pipe(
    z
      .string()
      .regex(/^[\x21-\x7e]{16,256}$/, 'must be 16–256 printable characters without spaces')
      .optional(),
  ),
  // Retention (docs/operations.md): applied by a daily job.
  RETENTION_LOG_DAYS: positiveInt(1, 3650, 30),
  RETENTION_AUDIT_DAYS: positiveInt(1, 3650, 180),
  RETENTION_JOB_DAYS: positiveInt(1, 365, 7),
  ACCOUNT_LEASE_SECONDS: positiveInt(10, 600, 30),
  // How soon a session whose worker died (SIGKILL, power loss) is retried (docs/operations.md).
  WORKER_HEARTBEAT_SECONDS: positiveInt(10, 600, 20),
  SESSION_RETRY_DELAY_SECONDS: positiveInt(1, 3600, 15),
  TIMEZONE: optionalText.pipe(
    z
      .string()
      .refine(isTimeZone, 'must be an IANA timezone name such as Europe/Moscow or UTC')
      .default('UTC'),
  ),
});

/** True when this runtime's Intl knows the IANA zone name. */
function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export type Role = 'all' | 'bot' | 'worker';

export type Config = {
  role: Role;
  /** TIMEZONE: the team's IANA zone; the bot shows absolute times in it. */
  timeZone: string;
  telegram: {
    token: string | undefined;
    apiRoot: string;
    adminIds: number[];
    /** Webhook mode when set; long polling otherwise. */
    webhook: { url: string; secret: string; host: string; port: number } | undefined;
    /** Chats whose updates are handled at the same time. */
    updateConcurrency: number;
    /** BOT_UPDATE_MAX_AGE: an update older than this (by Telegram's date) is answered, not run. */
    updateMaxAgeMs: number;
  };
  database: { url: string | undefined; dataDir: string; embeddedPort: number };
  /**
   * leaseSeconds: how long an account's lease outlives a worker that stopped extending it.
   * heartbeatSeconds: how long a worker may go silent before pg-boss takes its job away.
   * retryDelaySeconds: the first retry's delay (doubling after), for transient failures and lost workers.
   */
  worker: {
    concurrency: number;
    shutdownGraceMs: number;
    leaseSeconds: number;
    heartbeatSeconds: number;
    retryDelaySeconds: number;
  };
  /** Days kept: run log lines and failure screenshots, the audit trail, finished pg-boss jobs. */
  retention: { logLines: number; screenshots: number; audit: number; jobs: number };
  /**
   * siteProfilePath: WARMUP_SITE_PROFILE, the default platform's profile (a file, or a known
   * name); siteProfilesDir: WARMUP_SITE_PROFILES, a directory of more profiles.
   */
  warmup: {
    siteProfilePath: string | undefined;
    siteProfilesDir: string | undefined;
    browserExecutablePath: string | undefined;
  };
  /** Anti-detect providers for accounts whose browser is `cdp`; the token is a secret. */
  providers: { dolphin: { baseUrl: string; token: string | undefined } | undefined };
  security: { secretsKey: Buffer | undefined };
  log: { level: string; format: 'auto' | 'json' | 'pretty' };
  /**
   * Health, readiness and metrics; the queue dashboard when adminPassword is set. trustedProxies:
   * reverse proxies whose X-Forwarded-For is believed; opsToken guards /readyz and /metrics.
   */
  http: {
    host: string;
    port: number;
    adminPassword: string | undefined;
    trustedProxies: string[];
    opsToken: string | undefined;
  };
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(env);
  const issues = parsed.success ? [] : [...parsed.error.issues];
  // Checked on the raw environment so that it is reported together with every other problem.
  if (env.TELEGRAM_WEBHOOK_URL?.trim() && !env.TELEGRAM_WEBHOOK_SECRET?.trim()) {
    issues.push({
      code: 'custom',
      input: undefined,
      path: ['TELEGRAM_WEBHOOK_SECRET'],
      message: 'is required with TELEGRAM_WEBHOOK_URL: every webhook request is checked against it',
    });
  }
  const httpHost = env.HTTP_HOST?.trim() || '127.0.0.1';
  if (!isLoopback(httpHost) && !env.ADMIN_PASSWORD?.trim()) {
    issues.push({
      code: 'custom',
      input: undefined,
      path: ['ADMIN_PASSWORD'],
      message: `is required when HTTP_HOST (${httpHost}) is not a loopback address: set one, or bind HTTP_HOST=127.0.0.1`,
    });
  }
  if (!parsed.success || issues.length > 0) {
    const lines = issues.map((issue) => {
      const name = String(issue.path[0] ?? 'environment');
      const raw = env[name];
      const shown =
        raw === undefined || isSecretName(name) || /\/\/[^\s/]*@/.test(raw) ? '' : ` (got "${raw}")`;
      return `  ${name}: ${issue.message}${shown}`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data!;
  return {
    role: e.ROLE,
    timeZone: e.TIMEZONE,
    telegram: {
      token: e.TELEGRAM_BOT_TOKEN,
      apiRoot: e.TELEGRAM_API_ROOT.replace(/\/+$/, ''),
      adminIds: e.TELEGRAM_ADMIN_IDS,
      webhook:
        e.TELEGRAM_WEBHOOK_URL && e.TELEGRAM_WEBHOOK_SECRET
          ? {
              url: e.TELEGRAM_WEBHOOK_URL,
              secret: e.TELEGRAM_WEBHOOK_SECRET,
              host: e.TELEGRAM_WEBHOOK_HOST,
              port: e.TELEGRAM_WEBHOOK_PORT,
            }
          : undefined,
      updateConcurrency: e.BOT_UPDATE_CONCURRENCY,
      updateMaxAgeMs: e.BOT_UPDATE_MAX_AGE * 1000,
    },
    database: { url: e.DATABASE_URL, dataDir: e.DATA_DIR, embeddedPort: e.EMBEDDED_POSTGRES_PORT },
    worker: {
      concurrency: e.WORKER_CONCURRENCY,
      shutdownGraceMs: e.SHUTDOWN_GRACE_SECONDS * 1000,
      leaseSeconds: e.ACCOUNT_LEASE_SECONDS,
      heartbeatSeconds: e.WORKER_HEARTBEAT_SECONDS,
      retryDelaySeconds: e.SESSION_RETRY_DELAY_SECONDS,
    },
    retention: {
      logLines: e.RETENTION_LOG_DAYS,
      screenshots: e.RETENTION_LOG_DAYS,
      audit: e.RETENTION_AUDIT_DAYS,
      jobs: e.RETENTION_JOB_DAYS,
    },
    warmup: {
      siteProfilePath: e.WARMUP_SITE_PROFILE,
      siteProfilesDir: e.WARMUP_SITE_PROFILES,
      browserExecutablePath: e.BROWSER_EXECUTABLE_PATH,
    },
    providers: {
      dolphin: e.DOLPHIN_API_URL ? { baseUrl: e.DOLPHIN_API_URL, token: e.DOLPHIN_API_TOKEN } : undefined,
    },
    security: { secretsKey: e.SESSION_ENCRYPTION_KEY ? decodeKey(e.SESSION_ENCRYPTION_KEY) : undefined },
    log: { level: e.LOG_LEVEL, format: e.LOG_FORMAT },
    http: {
      host: e.HTTP_HOST,
      port: e.HTTP_PORT,
      adminPassword: e.ADMIN_PASSWORD,
      trustedProxies: e.HTTP_TRUSTED_PROXIES,
      opsToken: e.OPS_TOKEN,
    },
  };
}

/** Variables whose values a config error never prints: they are, or may hold, secrets (a URL's credentials). */
export function isSecretName(name: string): boolean {
  return /TOKEN|KEY|PASSWORD|SECRET|URL|API_ROOT/.test(name);
}

/**
 * Every secret value the configuration holds, for the logger to scrub from each line: the key in
 * both spellings a line could carry, and the database password (also when not URL-shaped).
 */
export function secretValues(config: Config): string[] {
  const key = config.security.secretsKey;
  const values = [
    config.telegram.token,
    config.telegram.webhook?.secret,
    config.http.adminPassword,
    config.http.opsToken,
    key?.toString('hex'),
    key?.toString('base64'),
    databasePassword(config.database.url),
    config.providers.dolphin?.token,
  ];
  return values.filter((v): v is string => typeof v === 'string' && v !== '');
}

function databasePassword(url: string | undefined): string | undefined {
  if (!url || !URL.canParse(url)) return undefined;
  const password = new URL(url).password;
  return password ? decodeURIComponent(password) : undefined;
}

/** 127.0.0.0/8, ::1 and localhost: reachable from this machine only. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return bare === 'localhost' || bare === '::1' || (isIPv4(bare) && bare.startsWith('127.'));
}

/** A key written as 64 hex characters or base64 of 32 bytes; undefined for anything else. */
export function parseSecretsKey(text: string | undefined): Buffer | undefined {
  const trimmed = text?.trim() ?? '';
  return /^([0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=)$/.test(trimmed) ? decodeKey(trimmed) : undefined;
}

function decodeKey(text: string): Buffer {
  return /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
}
