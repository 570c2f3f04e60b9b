// Composition root: the only file that creates things (config, logger, database, workers, bot)
// and the only one that knows the shutdown order. Roles: bot, worker, all (default); ROLE_PARTS says
// what each one starts.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Telegram } from 'telegraf';
import { createCheckAnswerSender } from './bot/commands/check/answer.ts';
import { botCommands } from './bot/commands/help/help.ts';
import { textsFor } from './bot/i18n/index.ts';
import { bindWebhook, launchBot, type WebhookServer } from './bot/index.ts';
import { wireBot } from './bot/wiring.ts';
import { type Config, ConfigError, isLoopback, loadConfig, type Role, secretValues } from './config.ts';
import { sealClearProxies } from './db/account-proxy.ts';
import { type Database, describeConnectionError, openDatabase } from './db/client.ts';
import { type EmbeddedServer, startEmbeddedPostgres } from './db/embedded.ts';
import { migrateDatabase } from './db/migrate.ts';
import { countRecentActions } from './db/recent-actions-repo.ts';
import { clearSeededAdminRoles } from './db/users-repo.ts';
import { createMetrics, type Metrics } from './http/metrics.ts';
import { type OpsServer, startOpsServer } from './http/server.ts';
import { type Boss, startBoss } from './jobs/boss.ts';
import { startCheckAnswerWorker } from './jobs/check-answer-job.ts';
import { createAccountChecker } from './jobs/check-runner.ts';
import { startNotificationWorker } from './jobs/notify-job.ts';
import { createTaskJobs } from './jobs/task-jobs.ts';
import { createWarmupRunner } from './jobs/warmup-runner.ts';
import { startWorkers } from './jobs/workers.ts';
import { createLogger, type Logger } from './logger.ts';
import { createShutdown, type Shutdown } from './shutdown.ts';
import { readOrCreateSecretsKey, SecretsKeyError } from './tasks/secrets-key-file.ts';
import { createBrowserHost } from './warmup/browser.ts';
import { defaultBrowserSearch, findBrowserExecutable } from './warmup/browser-executable.ts';
import { loadSiteProfiles, type SiteProfiles } from './warmup/profile-registry.ts';
import { createDolphinProvider } from './warmup/providers/dolphin.ts';
import { SiteProfileError, verifySelectorsInBrowser } from './warmup/site-profile.ts';

const NO_TOKEN_MESSAGE =
  'TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather in Telegram (/newbot), put its token in .env ' +
  'as TELEGRAM_BOT_TOKEN=…, and start again (or run ROLE=worker for a worker without the bot).';

/**
 * What each role starts. Every role opens the database, serves the ops endpoint and runs pg-boss.
 * `workers`: account sessions, their dead letters and the reconciler, with the one browser they
 * need (and pg-boss's maintenance schedule). `bot`: Telegram intake and the notification queue.
 * A worker never starts the bot, even with TELEGRAM_BOT_TOKEN set; the bot never finds a browser.
 */
const ROLE_PARTS: Record<Role, { workers: boolean; bot: boolean }> = {
  all: { workers: true, bot: true },
  bot: { workers: false, bot: true },
  worker: { workers: true, bot: false },
};

async function openStore(config: Config, logger: Logger, shutdown: Shutdown) {
  let url = config.database.url;
  if (!url) {
    const started = Date.now();
    const server: EmbeddedServer = await startEmbeddedPostgres({
      dataDir: config.database.dataDir,
      port: config.database.embeddedPort,
      log: (line) => logger.trace({ component: 'embedded-postgres' }, line),
    });
    // Left last: the server stops only when no other process of ours (ROLE=bot beside
    // ROLE=worker on one DATA_DIR) still uses it.
    shutdown.add('embedded-postgres', server.release);
    logger.info(
      {
        dataDir: config.database.dataDir,
        clusterDir: server.clusterDir,
        port: config.database.embeddedPort,
        ms: Date.now() - started,
      },
      server.started ? 'embedded Postgres started' : 'embedded Postgres already running; sharing it',
    );
    url = server.url;
  }
  try {
    await migrateDatabase(url);
  } catch (err) {
    throw new StartupError(describeConnectionError(url, err), { cause: err });
  }
  const database: Database = openDatabase(url, { applicationName: `warmup-bot:${config.role}` });
  shutdown.add('database', database.close);
  logger.info('database ready, migrations applied');
  return { database, url };
}

class StartupError extends Error {
  override name = 'StartupError';
}

/**
 * The key that encrypts saved logins, proxies and the bot's inbox (SESSION_ENCRYPTION_KEY). With the embedded database
 * (development) a key is made once and kept under DATA_DIR; a production setup (DATABASE_URL) must
 * bring its own.
 */
async function resolveSecretsKey(config: Config, logger: Logger): Promise<Buffer | undefined> {
  if (config.security.secretsKey) return config.security.secretsKey;
  if (config.database.url) {
    logger.warn(
      'SESSION_ENCRYPTION_KEY is not set: saved logins can be neither attached nor used, and proxies with a password cannot be stored',
    );
    return undefined;
  }
  const file = path.join(config.database.dataDir, 'session.key');
  const { key, created } = await readOrCreateSecretsKey(file);
  if (created)
    logger.warn({ file }, 'SESSION_ENCRYPTION_KEY is not set: generated one for the embedded database');
  return key;
}

/** The key, and proxies an older version stored in clear sealed with it (idempotent; every process may try). */
async function prepareSecrets(config: Config, db: Database['db'], logger: Logger) {
  const key = await resolveSecretsKey(config, logger);
  const { sealed, clearWithCredentials } = await sealClearProxies(db, key);
  if (sealed > 0) logger.info({ accounts: sealed }, 'encrypted proxies stored in clear by an older version');
  if (clearWithCredentials > 0)
    logger.warn(
      { accounts: clearWithCredentials },
      'proxies with a password are stored in clear: set SESSION_ENCRYPTION_KEY and restart to encrypt them',
    );
  return key;
}

/**
 * Every platform's site profile: the built-ins, WARMUP_SITE_PROFILES, WARMUP_SITE_PROFILE. Read
 * before anything starts: a wrong profile file stops every role with one line.
 */
async function loadProfiles(config: Config, logger: Logger): Promise<SiteProfiles> {
  const profiles = await loadSiteProfiles({
    directory: config.warmup.siteProfilesDir,
    defaultProfile: config.warmup.siteProfilePath,
  });
  logger.info(
    { platforms: profiles.sources, default: profiles.defaultName },
    `site profiles: ${profiles.names.join(', ')}`,
  );
  return profiles;
}

type RoleDeps = {
  /** Every site profile, by platform name, read and validated once at start. */
  profiles: SiteProfiles;
  boss: Boss;
  database: Database;
  logger: Logger;
  secretsKey: Buffer | undefined;
  ops: OpsServer;
  metrics: Metrics;
};

async function startWorkerRole(config: Config, deps: RoleDeps, shutdown: Shutdown) {
  const { profiles } = deps;
  const browser = await findBrowserExecutable(
    defaultBrowserSearch({ BROWSER_EXECUTABLE_PATH: config.warmup.browserExecutablePath }),
  );
  deps.logger.info({ executablePath: browser.path, source: browser.source }, 'browser found');
  const host = createBrowserHost({ executablePath: browser.path, headless: true, log: deps.logger });
  shutdown.add('browser', () => host.close());
  // Launch once now: a browser that cannot start, or a selector Playwright cannot parse (in any
  // platform's profile), stops the worker here with a clear line instead of failing sessions later.
  await host.withContext({ signal: AbortSignal.timeout(60_000) }, async (context) => {
    for (const profile of profiles.all()) await verifySelectorsInBrowser(context, profile);
  });
  // One client per provider API, shared by warmups and checks.
  const providers = config.providers.dolphin
    ? { dolphin: createDolphinProvider({ ...config.providers.dolphin, log: deps.logger }) }
    : {};
  const workers = await startWorkers({
    boss: deps.boss,
    db: deps.database.db,
    runner: createWarmupRunner({
      host,
      profiles,
      log: deps.logger,
      providers,
      recentActions: (accountId) => countRecentActions(deps.database.db, accountId),
    }),
    checker: createAccountChecker({
      host,
      profiles,
      log: deps.logger,
      providers,
    }),
    log: deps.logger,
    concurrency: config.worker.concurrency,
    secretsKey: deps.secretsKey,
    onRunFinished: deps.metrics.runFinished,
    retention: config.retention,
    lease: { ttlSeconds: config.worker.leaseSeconds },
    rampOf: (platform) => profiles.forPlatform(platform)?.warmup?.ramp,
  });
  shutdown.add('workers', () => workers.stop(shutdown.graceLeft()));
  deps.ops.attach({ workers, browser: host });
}

async function startBotRole(
  config: Config,
  token: string,
  deps: RoleDeps,
  shutdown: Shutdown,
  fail: (err: unknown) => void,
  webhook: WebhookServer | undefined,
) {
  const {
    bot,
    watch: telegram,
    outbox,
    digest,
  } = await wireBot({
    token,
    apiRoot: config.telegram.apiRoot,
    db: deps.database.db,
    jobs: createTaskJobs(deps.boss.boss),
    log: deps.logger,
    secretsKey: deps.secretsKey,
    adminIds: config.telegram.adminIds,
    timeZone: config.timeZone,
    platforms: { names: deps.profiles.names, defaultName: deps.profiles.defaultName },
    onTelegramCall: deps.metrics.telegramCall,
    onDelivered: deps.metrics.notificationDelivered,
  });
  // At shutdown every Bot API call in flight is aborted (Telegram may hang): its outbox entry stays
  // pending and the next bot process delivers it.
  const sends = new AbortController();
  abortCallsOn(bot.telegram, sends.signal);
  // Added first so it closes after the sends are aborted (closers run in reverse order).
  shutdown.add('daily summaries', () => digest.stop());
  shutdown.add('outbox', () => {
    sends.abort(new Error('shutting down'));
    return outbox.stop();
  });
  deps.ops.attach({ telegram, outbox });
  const notifications = await startNotificationWorker({
    boss: deps.boss,
    record: outbox.record,
    log: deps.logger,
  });
  shutdown.add('notifications', () => notifications.stop());
  const checkAnswers = await startCheckAnswerWorker({
    boss: deps.boss,
    send: createCheckAnswerSender({ db: deps.database.db, telegram: bot.telegram, log: deps.logger }),
    log: deps.logger,
  });
  shutdown.add('check answers', () => checkAnswers.stop());
  await registerCommands(bot.telegram, deps.logger);
  // Awaited: a refused token or a failed setWebhook is a startup error.
  const receiving = await launchBot(bot, {
    db: deps.database.db,
    log: deps.logger,
    concurrency: config.telegram.updateConcurrency,
    webhook,
    secretsKey: deps.secretsKey,
    inbox: { maxAgeMs: config.telegram.updateMaxAgeMs },
  });
  telegram.launched();
  deps.logger.info({ bot: bot.botInfo?.username, webhook: Boolean(webhook) }, 'bot receiving updates');
  receiving.ended.catch((err) => {
    telegram.stopped();
    fail(err);
  });
  shutdown.add('bot', async () => {
    telegram.stopped();
    await receiving.stop(shutdown.graceLeft());
  });
}

/**
 * Every call through `telegram` without a signal of its own ends when `signal` aborts. The long poll
 * brings its own (an abort-controller polyfill, which AbortSignal.any refuses); bot.stop() ends it.
 */
function abortCallsOn(telegram: Telegram, signal: AbortSignal) {
  type CallOptions = NonNullable<Parameters<Telegram['callApi']>[2]>;
  const ours = signal as unknown as NonNullable<CallOptions['signal']>; // node-fetch takes the native one
  const callApi = telegram.callApi.bind(telegram);
  telegram.callApi = ((method, payload, options: CallOptions = {}) =>
    callApi(
      method,
      payload,
      options.signal ? options : { ...options, signal: ours },
    )) as typeof telegram.callApi;
}

async function registerCommands(telegram: Telegram, logger: Logger) {
  try {
    await telegram.setMyCommands(botCommands(textsFor('en')));
    await telegram.setMyCommands(botCommands(textsFor('ru')), { language_code: 'ru' });
  } catch (err) {
    logger.warn({ err }, 'could not register the command menu (the bot works without it)');
  }
}

/**
 * SIGINT/SIGTERM run our shutdown, from the start of startup on (a stop while starting closes what
 * has started). Any other listener is removed after ours is added, never before: replacing them
 * all at once closes the signal watcher, and a signal arriving meanwhile was lost (the process then
 * ran on, deaf: the old 'a worker needs no token' timeout).
 */
function takeSignals(onSignal: (signal: NodeJS.Signals) => void, logger: Logger) {
  let signals = 0;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    const ours = () => {
      if (++signals > 1) {
        logger.warn({ signal }, 'second signal: exiting now');
        process.exit(130);
      }
      onSignal(signal);
    };
    process.on(signal, ours);
    for (const other of process.listeners(signal)) if (other !== ours) process.removeListener(signal, other);
  }
}

/** The configuration from .env and the environment; a wrong value exits 2 with its one line. */
function readConfig(): Config {
  if (existsSync('.env')) process.loadEnvFile('.env');
  try {
    return loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
}

async function main(): Promise<void> {
  const config = readConfig();
  const secrets = secretValues(config);
  const logger = createLogger({ level: config.log.level, format: config.log.format, secrets });
  const shutdown = createShutdown(logger, config.worker.shutdownGraceMs);
  let exitCode: number | undefined;
  const stop = async (code: number) => {
    exitCode ??= code; // a startup failure after a signal still exits as the signal asked
    await shutdown.run();
    process.exit(exitCode);
  };
  const fail = (err: unknown) => {
    if (err instanceof StartupError || err instanceof SiteProfileError || err instanceof SecretsKeyError)
      console.error(err.message);
    else if (err instanceof Error && /no Chromium|BROWSER_EXECUTABLE_PATH/.test(err.message))
      console.error(err.message);
    else logger.fatal({ err }, 'startup failed');
    void stop(1);
  };

  let ops: OpsServer | undefined;
  takeSignals((signal) => {
    logger.info({ signal }, 'shutting down');
    ops?.setPhase('stopping');
    void stop(0);
  }, logger);
  try {
    const profiles = await loadProfiles(config, logger);
    const { database, url } = await openStore(config, logger, shutdown);
    // TELEGRAM_ADMIN_IDS is read at every check (bot deps below), never written: only the admin
    // rows earlier versions seeded from it are cleared, so a removed id is no admin any more.
    await clearSeededAdminRoles(database.db);
    const parts = ROLE_PARTS[config.role];
    const token = config.telegram.token;
    if (parts.bot && !token) {
      console.error(NO_TOKEN_MESSAGE);
      await stop(1);
      return;
    }
    const metrics = createMetrics(logger);
    const { host, port, adminPassword, trustedProxies, opsToken } = config.http;
    if (!isLoopback(host) && !opsToken)
      logger.warn(
        { host },
        'HTTP_HOST is reachable from other machines and OPS_TOKEN is unset: /readyz and /metrics answer anyone there',
      );
    ops = await startOpsServer({
      host,
      port,
      log: logger,
      metrics,
      admin: adminPassword ? { password: adminPassword, databaseUrl: url } : undefined,
      trustedProxies,
      opsToken,
    }).catch((err: Error) => {
      throw new StartupError(err.message, { cause: err });
    });
    shutdown.add('http', ops.close);
    ops.attach({ database });
    const { heartbeatSeconds, retryDelaySeconds } = config.worker;
    const boss = await startBoss({
      url,
      log: logger,
      schedule: parts.workers,
      // Stale heartbeats are looked for at least twice per heartbeat window (every 10 s by default).
      monitorIntervalSeconds: Math.min(10, Math.floor(heartbeatSeconds / 2)),
      timings: {
        jobRetentionSeconds: config.retention.jobs * 24 * 3600,
        heartbeatSeconds,
        sessionRetryDelaySeconds: retryDelaySeconds,
      },
    });
    shutdown.add('pg-boss', () => boss.boss.stop({ graceful: true, timeout: 10_000 }));
    ops.attach({ boss });
    const secretsKey = await prepareSecrets(config, database.db, logger);
    const deps = { profiles, boss, database, logger, secretsKey, ops, metrics };
    // Bound before any worker claims work and before setWebhook: a taken port is a startup error.
    const webhook =
      token && parts.bot && config.telegram.webhook
        ? await bindWebhook(config.telegram.webhook).catch((err: Error) => {
            throw new StartupError(err.message, { cause: err });
          })
        : undefined;
    if (webhook) shutdown.add('webhook', webhook.close);
    if (parts.workers) await startWorkerRole(config, deps, shutdown);
    if (parts.bot && token) await startBotRole(config, token, deps, shutdown, fail, webhook);
  } catch (err) {
    fail(err);
    return;
  }
  ops?.setPhase('running');
  logger.info({ role: config.role }, 'warmup-bot running');
}

await main();
