// createBot: the telegraf bot with its middleware in order — error boundary, access (allow-list,
// role, language), one Composer per feature, and a fallback for anything unhandled.
import { Telegraf, type Telegram } from 'telegraf';
import { isDatabaseUnavailable } from '../db/client.ts';
import { accessAdminFeature } from './commands/access-admin/access-admin.ts';
import { accountsFeature } from './commands/accounts/accounts.ts';
import type { BotContext, BotDeps } from './commands/context.ts';
import { helpFeature } from './commands/help/help.ts';
import { access } from './commands/middlewares/access.ts';
import { newTaskFeature } from './commands/new-task/new-task.ts';
import { sessionUploadFeature } from './commands/session-upload/session-upload.ts';
import { tasksFeature } from './commands/tasks/tasks.ts';

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
    log.error({ err, updateType: ctx.updateType, unavailable }, 'update failed');
    const t = ctx.t;
    if (!t) return;
    const text = unavailable ? t.unavailable : t.internalError;
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
  bot.use(helpFeature());
  bot.use(tasksFeature(deps));
  bot.use(newTaskFeature(deps));
  bot.use(accountsFeature(deps));
  bot.use(sessionUploadFeature(deps));
  bot.use(accessAdminFeature(deps));

  // Anything that reached this point was not understood.
  bot.on('callback_query', (ctx) => ctx.answerCbQuery(ctx.t.staleButton, { show_alert: true }));
  bot.on('message', async (ctx) => {
    if ('text' in ctx.message && ctx.message.text.startsWith('/')) await ctx.reply(ctx.t.unknownCommand);
  });
  return bot;
}

export type WebhookOptions = { url: string; secret: string; host: string; port: number };

/**
 * Starts receiving updates: long polling (the promise settles when polling stops), or a webhook
 * server on host:port whose path is the URL's and whose every request must carry the secret
 * token (telegraf answers 403 otherwise); then the promise settles once Telegram accepted it.
 */
export function launchBot(
  bot: Telegraf<BotContext>,
  webhook: WebhookOptions | undefined,
  onReady: () => void,
) {
  if (!webhook) return bot.launch({ dropPendingUpdates: false }, onReady);
  const url = new URL(webhook.url);
  return bot
    .launch({
      webhook: {
        domain: url.origin,
        path: url.pathname,
        host: webhook.host,
        port: webhook.port,
        secretToken: webhook.secret,
      },
    })
    .then(onReady);
}
