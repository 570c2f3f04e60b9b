// Runs a real telegraf bot against the fake Bot API. telegraf 4.16's launch() resolves only when
// polling stops, so it is started without awaiting; the bot is ready once its first long poll is
// held by the fake. stop() ends polling and waits for telegraf's final offset sync. launchAgainst
// runs the bot through our own intake instead, as main.ts does.
import type { Context, Telegraf } from 'telegraf';
import type { UserFromGetMe } from 'telegraf/types';
import { type BotContext, type LaunchOptions, launchBot, type Receiving } from '../../src/bot/index.ts';
import type { FakeBotApi } from './fake-bot-api.ts';

export type RunningBot = { stop(): Promise<void> };

export async function startBotAgainst<C extends Context>(
  fake: FakeBotApi,
  bot: Telegraf<C>,
  options: { allowedUpdates?: Telegraf.LaunchOptions['allowedUpdates']; timeout?: number } = {},
): Promise<RunningBot> {
  if (bot.telegram.token !== fake.token || bot.telegram.options.apiRoot !== fake.apiRoot) {
    throw new Error(
      'startBotAgainst: create the bot as new Telegraf(fake.token, { telegram: { apiRoot: fake.apiRoot } })',
    );
  }
  // A preset botInfo saves the getMe round trip, as telegraf's own tests do.
  bot.botInfo ??= fake.botInfo as UserFromGetMe;
  const since = fake.calls().length;
  const polling = bot.launch({ allowedUpdates: options.allowedUpdates });
  const ready = fake.waitForCall('getUpdates', (call) => Number(call.params.timeout) > 0, {
    since,
    description: 'the bot to start long polling',
    ...(options.timeout === undefined ? {} : { timeout: options.timeout }),
  });
  ready.catch(() => {}); // raced below; a late timeout must not surface as an unhandled rejection
  const stop = async () => {
    try {
      bot.stop('test');
    } catch {
      // launch() failed before polling started: nothing to stop.
    }
    await polling;
  };
  try {
    await Promise.race([
      ready,
      polling.then(() => {
        throw new Error('startBotAgainst: telegraf stopped polling before it started');
      }),
    ]);
  } catch (error) {
    await stop().catch(() => {});
    throw error;
  }
  return { stop };
}

/**
 * The bot as main.ts runs it: launchBot (the inbox, per-chat lanes, our long polling) against the
 * fake; ready once its first long poll is held. stop() takes graceMs (default: wait for handlers).
 */
export async function launchAgainst(
  fake: FakeBotApi,
  bot: Telegraf<BotContext>,
  options: Omit<LaunchOptions, 'concurrency'> & { concurrency?: number },
): Promise<Receiving & { stop(graceMs?: number): Promise<void> }> {
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
