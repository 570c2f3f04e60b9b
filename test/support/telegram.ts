// The one way tests run the bot: as main.ts runs it, against the fake Bot API. launchWired wires it
// (wireBot: send budget, notifier and outbox, digest) and launches it (launchBot: the inbox in the
// database, per-chat lanes, our own long polling or the webhook); launchAgainst is the launch alone,
// for tests that build the bot themselves (botDepsFor: its deps). useFakeBotApi: a fake per file.
import type { Telegraf } from 'telegraf';
import type { UserFromGetMe } from 'telegraf/types';
import { afterAll, beforeAll } from 'vitest';
import { type BotContext, type LaunchOptions, launchBot, type Receiving } from '../../src/bot/index.ts';
import { type WireBotOptions, type WiredBot, wireBot } from '../../src/bot/wiring.ts';
import type { Db } from '../../src/db/client.ts';
import type { Logger } from '../../src/logger.ts';
import { type FakeBotApi, type FakeBotApiOptions, startFakeBotApi } from './fake-bot-api.ts';
import { recordingJobs } from './fixtures.ts';
import { testLog } from './jobs.ts';
import { standIn, started } from './stand-in.ts';

/** A fake Bot API for the file's tests (its describe's), closed after them; a stand-in for it. */
export function useFakeBotApi(options: FakeBotApiOptions = {}): FakeBotApi {
  let current: FakeBotApi | undefined;
  beforeAll(async () => {
    current = await startFakeBotApi(options);
  });
  afterAll(async () => {
    await current?.close();
  });
  return standIn(() => started(current, 'useFakeBotApi'));
}

/** What createBot and wireBot need to talk to the fake, with no queue (jobs recorded, not sent). */
export function botDepsFor(fake: FakeBotApi, db: Db, log: Logger = testLog) {
  return { token: fake.token, apiRoot: fake.apiRoot, db, jobs: recordingJobs(), log, secretsKey: undefined };
}

export type Launched = Receiving & {
  /** Takes no more updates; waits up to graceMs (default: a minute) for those being handled. */
  stop(graceMs?: number): Promise<void>;
};

/**
 * launchBot against the fake; ready once its first long poll is held (or, with a webhook, once
 * Telegram was told its URL).
 */
export async function launchAgainst(
  fake: FakeBotApi,
  bot: Telegraf<BotContext>,
  options: Omit<LaunchOptions, 'concurrency'> & { concurrency?: number },
): Promise<Launched> {
  // A preset botInfo saves the getMe round trip, as telegraf's own tests do.
  bot.botInfo ??= fake.botInfo as UserFromGetMe;
  const since = fake.calls().length;
  const receiving = await launchBot(bot, { concurrency: 16, ...options });
  if (!options.webhook) {
    await fake.waitForCall('getUpdates', (call) => Number(call.params.timeout) > 0, {
      since,
      description: 'the bot to start long polling',
    });
  }
  return { ended: receiving.ended, stop: (graceMs = 60_000) => receiving.stop(graceMs) };
}

export type LaunchedBot = WiredBot & {
  receiving: Launched;
  /** Stops receiving (waiting for the handlers in flight), then the daily digest and the outbox. */
  stop(): Promise<void>;
};

/** The bot wired and launched as main.ts does it, against the fake (its token and API root). */
export async function launchWired(
  fake: FakeBotApi,
  options: Omit<WireBotOptions, 'token' | 'apiRoot'> & Pick<LaunchOptions, 'polling'>,
): Promise<LaunchedBot> {
  const { polling, ...wiring } = options;
  const wired = await wireBot({ ...wiring, token: fake.token, apiRoot: fake.apiRoot });
  let receiving: Launched;
  try {
    receiving = await launchAgainst(fake, wired.bot, {
      db: wiring.db,
      log: wiring.log,
      ...(polling ? { polling } : {}),
    });
  } catch (error) {
    await wired.digest.stop();
    await wired.outbox.stop();
    throw error;
  }
  wired.watch.launched();
  return {
    ...wired,
    receiving,
    async stop() {
      wired.watch.stopped();
      await receiving.stop();
      await wired.digest.stop();
      await wired.outbox.stop();
    },
  };
}
