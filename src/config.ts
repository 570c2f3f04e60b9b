// Typed configuration from the environment: one zod schema over env vars, a nested Config,
// and a readable error naming the variable when a value is wrong. Pure: loadConfig(env).
import { z } from 'zod';

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
  BROWSER_EXECUTABLE_PATH: optionalText,
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
});

export type Role = 'all' | 'bot' | 'worker';

export type Config = {
  role: Role;
  telegram: { token: string | undefined; apiRoot: string; adminIds: number[] };
  database: { url: string | undefined; dataDir: string; embeddedPort: number };
  worker: { concurrency: number; shutdownGraceMs: number };
  warmup: { siteProfilePath: string | undefined; browserExecutablePath: string | undefined };
  security: { sessionKey: Buffer | undefined };
  log: { level: string; format: 'auto' | 'json' | 'pretty' };
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? 'environment');
      const raw = env[name];
      const shown =
        raw === undefined || /TOKEN|KEY|PASSWORD|DATABASE_URL/.test(name) ? '' : ` (got "${raw}")`;
      return `  ${name}: ${issue.message}${shown}`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    role: e.ROLE,
    telegram: {
      token: e.TELEGRAM_BOT_TOKEN,
      apiRoot: e.TELEGRAM_API_ROOT.replace(/\/+$/, ''),
      adminIds: e.TELEGRAM_ADMIN_IDS,
    },
    database: { url: e.DATABASE_URL, dataDir: e.DATA_DIR, embeddedPort: e.EMBEDDED_POSTGRES_PORT },
    worker: { concurrency: e.WORKER_CONCURRENCY, shutdownGraceMs: e.SHUTDOWN_GRACE_SECONDS * 1000 },
    warmup: { siteProfilePath: e.WARMUP_SITE_PROFILE, browserExecutablePath: e.BROWSER_EXECUTABLE_PATH },
    security: { sessionKey: e.SESSION_ENCRYPTION_KEY ? decodeKey(e.SESSION_ENCRYPTION_KEY) : undefined },
    log: { level: e.LOG_LEVEL, format: e.LOG_FORMAT },
  };
}

function decodeKey(text: string): Buffer {
  return /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
}
