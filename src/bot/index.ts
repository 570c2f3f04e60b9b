// createBot: the telegraf bot with its middleware in order — error boundary, access (allow-list,
// role, language), one Composer per feature, and a fallback for anything unhandled. launchBot:
// receiving updates through the intake (src/bot/intake), by long polling or a webhook.
//
// The layers of src/bot. Arrows point down this table, or sideways between features (never in a
// cycle); a file under the folder on the left imports, of src/bot, only from the right column:
//
//   folder                     may import from (within src/bot)
//   i18n/                      nothing else of the bot
//   shared/                    i18n/
//   intake/                    shared/, i18n/
//   notifications/             shared/, i18n/
//   commands/*.ts,             notifications/, shared/, i18n/ — and no feature folder
//     commands/middlewares/
//   commands/<feature>/        commands/*.ts, commands/middlewares/, other features (acyclic),
//                              notifications/, shared/, i18n/ — never intake/, index.ts, wiring.ts
//   index.ts                   everything above — not wiring.ts
//   wiring.ts                  everything (the composition: budget, notifier, outbox, digest)
//
// Outbound messages that need a feature's card or buttons live in the feature (the task notices:
// commands/tasks/notifier.ts; the daily summary: commands/summary/); notifications/ is transport
// only and reaches the notifier through a port (notifications/notifier-port.ts) given by wiring.ts.
import { Telegraf, type Telegram } from 'telegraf';
import { ProxyKeyMissingError } from '../db/account-proxy.ts';
import { type Db, isDatabaseUnavailable } from '../db/client.ts';
import { forgetHandledUpdates } from '../db/updates-repo.ts';
import type { Logger } from '../logger.ts';
import { accessAdminFeature } from './commands/access-admin/access-admin.ts';
import { accountPageFeature } from './commands/account-page/account-page.ts';
import { accountSetFeature } from './commands/account-set/account-set.ts';
import { accountsFeature } from './commands/accounts/accounts.ts';
import { chatSettingsFeature } from './commands/chat-settings/chat-settings.ts';
import { checkFeature } from './commands/check/check.ts';
import type { BotContext, BotDeps } from './commands/context.ts';
import { fleetFeature } from './commands/fleet/fleet.ts';
import { helpFeature } from './commands/help/help.ts';
import { loginUploadFeature } from './commands/login-upload/login-upload.ts';
import { access } from './commands/middlewares/access.ts';
import { skipOutdated } from './commands/middlewares/outdated.ts';
import { newTaskFeature } from './commands/new-task/new-task.ts';
import { programmesFeature } from './commands/programmes/programmes.ts';
import { quarantineFeature } from './commands/quarantine/quarantine.ts';
import { retryFailedFeature } from './commands/retry-failed/retry-failed.ts';
import { tasksFeature } from './commands/tasks/tasks.ts';
import { createIntake, type IntakeOptions } from './intake/intake.ts';
import { type PollingOptions, pollUpdates } from './intake/polling.ts';
import type { WebhookServer } from './intake/webhook.ts';

export { bindWebhook, WebhookBindError } from './intake/webhook.ts';
export type { BotContext, BotDeps };

export type CreateBotOptions = BotDeps & {
  token: string;
  apiRoot: string;
  /** Applied to bot.telegram and to every update's own Telegram (telegraf makes one per update). */
  onTelegram?: (telegram: Telegram) => void;
  /** Told of every update from a chat, before anything else (a chat thought gone is back). */
  onChat?: (chatId: number) => Promise<void>;
};

export function createBot(options: CreateBotOptions): Telegraf<BotContext> {
  const { token, apiRoot, onTelegram, onChat, ...deps } = options;
  // webhookReply off: every API call is a real request whose errors we see (and tests observe).
  const bot = new Telegraf<BotContext>(token, {
    telegram: { apiRoot, webhookReply: false },
    handlerTimeout: 60_000,
  });
  const log = deps.log.child({ component: 'bot' });

  bot.catch(async (err, ctx) => {
    const unavailable = isDatabaseUnavailable(err);
    // Any path that stores a proxy (add, import, set) refuses credentials without a key this way.
    const noKey = err instanceof ProxyKeyMissingError;
    if (noKey) log.warn({ updateType: ctx.updateType }, err.message);
    else log.error({ err, updateType: ctx.updateType, unavailable }, 'update failed');
    const t = ctx.t;
    if (!t) return;
    const text = noKey ? t.inbox.noKeyForProxy : unavailable ? t.unavailable : t.internalError;
    try {
      if (ctx.callbackQuery) await ctx.answerCbQuery(text, { show_alert: true });
      else if (ctx.chat) await ctx.reply(text);
    } catch (replyErr) {
      log.warn({ err: replyErr }, 'could not tell the user about the failure');
    }
  });

  if (onTelegram) {
    onTelegram(bot.telegram);
    bot.use((ctx, next) => {
      onTelegram(ctx.telegram);
      return next();
    });
  }
  if (onChat) {
    bot.use(async (ctx, next) => {
      if (ctx.chat) await onChat(ctx.chat.id);
      return next();
    });
  }
  bot.use(access(deps));
  bot.use(skipOutdated());
  bot.use(helpFeature());
  bot.use(tasksFeature(deps));
  bot.use(newTaskFeature(deps));
  bot.use(accountsFeature(deps));
  bot.use(accountSetFeature(deps));
  bot.use(loginUploadFeature(deps));
  bot.use(fleetFeature(deps));
  bot.use(accessAdminFeature(deps));
  bot.use(checkFeature(deps));
  bot.use(quarantineFeature(deps));
  bot.use(accountPageFeature(deps));
  bot.use(retryFailedFeature(deps));
  bot.use(chatSettingsFeature(deps));
  bot.use(programmesFeature(deps));

  // Anything that reached this point was not understood.
  bot.on('callback_query', (ctx) => ctx.answerCbQuery(ctx.t.staleButton, { show_alert: true }));
  bot.on('message', async (ctx) => {
    if ('text' in ctx.message && ctx.message.text.startsWith('/')) await ctx.reply(ctx.t.unknownCommand);
  });
  return bot;
}

export type { WebhookOptions, WebhookServer } from './intake/webhook.ts';

export type LaunchOptions = {
  db: Db;
  log: Logger;
  /** Chats whose updates are handled at the same time (BOT_UPDATE_CONCURRENCY). */
  concurrency: number;
  /** Webhook mode, on a server bound beforehand (bindWebhook); long polling otherwise. */
  webhook?: WebhookServer;
  /** Seals the inbox (SESSION_ENCRYPTION_KEY); intake.ts says what happens without it. */
  secretsKey?: Buffer;
  /** BOT_UPDATE_MAX_AGE, and for tests the clock it is read on and the "mark handled" retry pause. */
  inbox?: Pick<IntakeOptions, 'maxAgeMs' | 'now' | 'markRetryMs'>;
  /** For tests: the pause before a getUpdates retry, and how long Telegram holds a poll. */
  polling?: Pick<PollingOptions, 'retryDelayMs' | 'timeoutSeconds'>;
};

export type Receiving = {
  /** Settles when receiving ends by itself: rejects when Telegram refuses the token. */
  ended: Promise<void>;
  /** Takes no more updates; waits up to graceMs for those being handled. */
  stop(graceMs: number): Promise<void>;
};

const FORGET_HANDLED_MS = 24 * 3600_000;

/**
 * Starts receiving updates into the intake: first whatever a previous run stored and did not
 * handle, then long polling, or the webhook (the server is already bound; Telegram is told its URL
 * and secret only now). Resolves once updates are coming in.
 */
export async function launchBot(bot: Telegraf<BotContext>, options: LaunchOptions): Promise<Receiving> {
  const log = options.log.child({ component: 'bot' });
  bot.botInfo ??= await bot.telegram.getMe();
  const intake = createIntake({
    bot,
    db: options.db,
    log: options.log,
    concurrency: options.concurrency,
    ...(options.secretsKey ? { key: options.secretsKey } : {}),
    ...options.inbox,
  });
  const forget = () =>
    forgetHandledUpdates(options.db, FORGET_HANDLED_MS).catch((err) =>
      log.warn({ err }, 'could not forget old handled updates'),
    );
  void forget();
  const forgetting = setInterval(forget, 3600_000).unref();
  await intake.recover();
  const abort = new AbortController();
  let ended: Promise<void>;
  const { webhook } = options;
  if (webhook) {
    webhook.serve(intake, log);
    await bot.telegram.setWebhook(webhook.options.url, {
      secret_token: webhook.options.secret,
      drop_pending_updates: false,
    });
    ended = new Promise<void>((resolve) => abort.signal.addEventListener('abort', () => resolve()));
  } else {
    await bot.telegram.deleteWebhook({ drop_pending_updates: false });
    ended = pollUpdates({
      telegram: bot.telegram,
      intake,
      log: options.log,
      signal: abort.signal,
      ...options.polling,
    });
  }
  ended.catch(() => {}); // the caller observes it through `ended`; stop() must not surface it twice
  return {
    ended,
    async stop(graceMs) {
      clearInterval(forgetting);
      abort.abort();
      await webhook?.close();
      await intake.stop(graceMs);
      await ended.catch(() => {});
    },
  };
}
