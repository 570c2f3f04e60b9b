// Composition root: the only file that creates things (config, logger, database, workers, bot)
// and the only one that knows the shutdown order. Roles: bot, worker, all (default).
import { existsSync } from 'node:fs';
import { type Config, ConfigError, loadConfig } from './config.ts';
import { type Database, describeConnectionError, openDatabase } from './db/client.ts';
import { type EmbeddedServer, startEmbeddedPostgres } from './db/embedded.ts';
import { migrateDatabase } from './db/migrate.ts';
import { upsertUser } from './db/users-repo.ts';
import { createLogger, type Logger } from './logger.ts';

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
    shutdown.add('embedded-postgres', server.stop);
    logger.info(
      {
        dataDir: config.database.dataDir,
        port: config.database.embeddedPort,
        owned: server.owned,
        ms: Date.now() - started,
      },
      server.owned ? 'embedded Postgres started' : 'embedded Postgres already running; sharing it',
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
  const secrets = [config.telegram.token, config.security.sessionKey?.toString('hex')];
  const logger = createLogger({ level: config.log.level, format: config.log.format, secrets });
  const shutdown = createShutdown(logger);
  const stop = async (code: number) => {
    await shutdown.run();
    process.exit(code);
  };

  try {
    const { database } = await openStore(config, logger, shutdown);
    for (const telegramId of config.telegram.adminIds) {
      await upsertUser(database.db, { telegramId, role: 'admin' });
    }
    if (config.role !== 'worker' && !config.telegram.token) {
      console.error(NO_TOKEN_MESSAGE);
      await stop(1);
      return;
    }
  } catch (err) {
    if (err instanceof StartupError) {
      console.error(err.message);
    } else {
      logger.fatal({ err }, 'startup failed');
    }
    await stop(1);
    return;
  }

  logger.info({ role: config.role }, 'warmup-bot running');
  let signals = 0;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (++signals > 1) {
        logger.warn({ signal }, 'second signal: exiting now');
        process.exit(130);
      }
      logger.info({ signal }, 'shutting down');
      void stop(0);
    });
  }
}

await main();
