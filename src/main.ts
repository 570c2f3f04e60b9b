// Composition root: the only file that creates things (config, logger, database, workers, bot)
// and the only one that knows the shutdown order. Roles: bot, worker, all (default).
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Telegram } from 'telegraf';
import { botCommands } from './bot/commands/help/help.ts';
import { textsFor } from './bot/i18n/index.ts';
import { launchBot } from './bot/index.ts';
import { wireBot } from './bot/wiring.ts';
import { type Config, ConfigError, loadConfig } from './config.ts';
import { type Database, describeConnectionError, openDatabase } from './db/client.ts';
import { type EmbeddedServer, startEmbeddedPostgres } from './db/embedded.ts';
import { migrateDatabase } from './db/migrate.ts';
import { upsertUser } from './db/users-repo.ts';
import { createMetrics, type Metrics } from './http/metrics.ts';
import { type OpsServer, startOpsServer } from './http/server.ts';
import { type Boss, startBoss } from './jobs/boss.ts';
import { startNotificationWorker } from './jobs/notify-job.ts';
import { createTaskJobs } from './jobs/task-jobs.ts';
import { createWarmupRunner } from './jobs/warmup-runner.ts';
import { startWorkers } from './jobs/workers.ts';
import { createLogger, type Logger } from './logger.ts';
import { createBrowserHost } from './warmup/browser.ts';
import { defaultBrowserSearch, findBrowserExecutable } from './warmup/browser-executable.ts';
import { loadSiteProfile, SiteProfileError, verifySelectorsInBrowser } from './warmup/site-profile.ts';

const NO_TOKEN_MESSAGE =
  'TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather in Telegram (/newbot), put its token in .env ' +
  'as TELEGRAM_BOT_TOKEN=…, and start again (or run ROLE=worker for a worker without the bot).';

type Closer = { name: string; close: () => Promise<void> };

/** Closers run in reverse order of creation: the bot stops first, the database last. */
function createShutdown(logger: Logger) {
  const closers: Closer[] = [];
  let closing: Promise<void> | undefined;
  return {
    add(name: string, close: () => Promise<void>) {
      closers.push({ name, close });
    },
    run(): Promise<void> {
      closing ??= (async () => {
        for (const closer of closers.reverse()) {
          try {
            await closer.close();
            logger.debug({ component: closer.name }, 'stopped');
          } catch (err) {
            logger.error({ err, component: closer.name }, 'failed to stop cleanly');
          }
        }
      })();
      return closing;
    },
  };
}

async function openStore(config: Config, logger: Logger, shutdown: ReturnType<typeof createShutdown>) {
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
 * The key that encrypts saved sessions. With the embedded database (development) a key is made
 * once and kept under DATA_DIR; a production setup (DATABASE_URL) must bring its own.
 */
async function resolveSessionKey(config: Config, logger: Logger): Promise<Buffer | undefined> {
  if (config.security.sessionKey) return config.security.sessionKey;
  if (config.database.url) {
    logger.warn('SESSION_ENCRYPTION_KEY is not set: account sessions can be neither attached nor used');
    return undefined;
  }
  const file = path.join(config.database.dataDir, 'session.key');
  try {
    return Buffer.from((await readFile(file, 'utf8')).trim(), 'hex');
  } catch {
    const key = randomBytes(32);
    await writeFile(file, `${key.toString('hex')}\n`, { mode: 0o600 });
    logger.warn({ file }, 'SESSION_ENCRYPTION_KEY is not set: generated one for the embedded database');
    return key;
  }
}

type RoleDeps = {
  boss: Boss;
  database: Database;
  logger: Logger;
  sessionKey: Buffer | undefined;
  ops: OpsServer;
  metrics: Metrics;
};

async function startWorkerRole(config: Config, deps: RoleDeps, shutdown: ReturnType<typeof createShutdown>) {
  const profile = await loadSiteProfile(config.warmup.siteProfilePath);
  const browser = await findBrowserExecutable(
    defaultBrowserSearch({ BROWSER_EXECUTABLE_PATH: config.warmup.browserExecutablePath }),
  );
  deps.logger.info({ executablePath: browser.path, source: browser.source }, 'browser found');
  const host = createBrowserHost({ executablePath: browser.path, headless: true, log: deps.logger });
  shutdown.add('browser', () => host.close());
  // Launch once now: a browser that cannot start, or a selector Playwright cannot parse, stops
  // the worker here with a clear line instead of failing every session later.
  await host.withContext({ signal: AbortSignal.timeout(60_000) }, (context) =>
    verifySelectorsInBrowser(context, profile),
  );
  const workers = await startWorkers({
    boss: deps.boss,
    db: deps.database.db,
    runner: createWarmupRunner({ host, profile, log: deps.logger }),
    log: deps.logger,
    concurrency: config.worker.concurrency,
    sessionKey: deps.sessionKey,
    onRunFinished: deps.metrics.runFinished,
  });
  shutdown.add('workers', () => workers.stop(config.worker.shutdownGraceMs));
  deps.ops.attach({ workers, browser: host });
}

async function startBotRole(
  config: Config,
  token: string,
  deps: RoleDeps,
  shutdown: ReturnType<typeof createShutdown>,
  fail: (err: unknown) => void,
) {
  const {
    bot,
    watch: telegram,
    outbox,
  } = await wireBot({
    token,
    apiRoot: config.telegram.apiRoot,
    db: deps.database.db,
    jobs: createTaskJobs(deps.boss.boss),
    log: deps.logger,
    sessionKey: deps.sessionKey,
    onTelegramCall: deps.metrics.telegramCall,
    onDelivered: deps.metrics.notificationDelivered,
  });
  shutdown.add('outbox', () => outbox.stop());
  deps.ops.attach({ telegram, outbox });
  const notifications = await startNotificationWorker({
    boss: deps.boss,
    record: outbox.record,
    log: deps.logger,
  });
  shutdown.add('notifications', () => notifications.stop());
  await registerCommands(bot.telegram, deps.logger);
  let running = true;
  launchBot(bot, config.telegram.webhook, () => {
    telegram.launched();
    deps.logger.info(
      { bot: bot.botInfo?.username, webhook: Boolean(config.telegram.webhook) },
      'bot receiving updates',
    );
  }).catch((err) => {
    running = false;
    telegram.stopped();
    fail(err);
  });
  shutdown.add('bot', async () => {
    telegram.stopped();
    try {
      if (running) bot.stop('shutdown');
    } catch {
      // polling had already ended
    }
  });
}

async function registerCommands(telegram: Telegram, logger: Logger) {
  try {
    await telegram.setMyCommands(botCommands(textsFor('en')));
    await telegram.setMyCommands(botCommands(textsFor('ru')), { language_code: 'ru' });
  } catch (err) {
    logger.warn({ err }, 'could not register the command menu (the bot works without it)');
  }
}

async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const secrets = [
    config.telegram.token,
    config.security.sessionKey?.toString('hex'),
    config.http.adminPassword,
  ];
  const logger = createLogger({ level: config.log.level, format: config.log.format, secrets });
  const shutdown = createShutdown(logger);
  const stop = async (code: number) => {
    await shutdown.run();
    process.exit(code);
  };
  const fail = (err: unknown) => {
    if (err instanceof StartupError || err instanceof SiteProfileError) console.error(err.message);
    else if (err instanceof Error && /no Chromium|BROWSER_EXECUTABLE_PATH/.test(err.message))
      console.error(err.message);
    else logger.fatal({ err }, 'startup failed');
    void stop(1);
  };

  let ops: OpsServer | undefined;
  try {
    const { database, url } = await openStore(config, logger, shutdown);
    for (const telegramId of config.telegram.adminIds) {
      await upsertUser(database.db, { telegramId, role: 'admin' });
    }
    const token = config.telegram.token;
    if (config.role !== 'worker' && !token) {
      console.error(NO_TOKEN_MESSAGE);
      await stop(1);
      return;
    }
    const metrics = createMetrics(logger);
    const { host, port, adminPassword } = config.http;
    ops = await startOpsServer({
      host,
      port,
      log: logger,
      metrics,
      admin: adminPassword ? { password: adminPassword, databaseUrl: url } : undefined,
    }).catch((err: Error) => {
      throw new StartupError(err.message, { cause: err });
    });
    shutdown.add('http', ops.close);
    ops.attach({ database });
    const boss = await startBoss({ url, log: logger, schedule: config.role !== 'bot' });
    shutdown.add('pg-boss', () => boss.boss.stop({ graceful: true, timeout: 10_000 }));
    ops.attach({ boss });
    const sessionKey = await resolveSessionKey(config, logger);
    const deps = { boss, database, logger, sessionKey, ops, metrics };
    if (config.role !== 'bot') await startWorkerRole(config, deps, shutdown);
    if (token) await startBotRole(config, token, deps, shutdown, fail);
  } catch (err) {
    fail(err);
    return;
  }
  ops?.setPhase('running');
  logger.info({ role: config.role }, 'warmup-bot running');
  let signals = 0;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (++signals > 1) {
        logger.warn({ signal }, 'second signal: exiting now');
        process.exit(130);
      }
      logger.info({ signal }, 'shutting down');
      ops?.setPhase('stopping');
      void stop(0);
    });
  }
}

await main();
