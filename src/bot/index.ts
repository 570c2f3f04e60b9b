// createBot: the telegraf bot with its middleware in order — error boundary, access (allow-list,
// role, language), one Composer per feature, and a fallback for anything unhandled.
import { Telegraf } from 'telegraf';
import { isDatabaseUnavailable } from '../db/client.ts';
import type { BotContext, BotDeps } from './context.ts';
import { helpFeature } from './features/help.ts';
import { tasksFeature } from './features/tasks.ts';
import { access } from './middlewares/access.ts';

export type { BotContext, BotDeps };

export type CreateBotOptions = BotDeps & { token: string; apiRoot: string };

export function createBot(options: CreateBotOptions): Telegraf<BotContext> {
  const { token, apiRoot, ...deps } = options;
  const bot = new Telegraf<BotContext>(token, { telegram: { apiRoot }, handlerTimeout: 60_000 });
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

  bot.use(access(deps));
  bot.use(helpFeature());
  bot.use(tasksFeature(deps));

  // Anything that reached this point was not understood.
  bot.on('callback_query', (ctx) => ctx.answerCbQuery(ctx.t.staleButton, { show_alert: true }));
  bot.on('message', async (ctx) => {
    if ('text' in ctx.message && ctx.message.text.startsWith('/')) await ctx.reply(ctx.t.unknownCommand);
  });
  return bot;
}
