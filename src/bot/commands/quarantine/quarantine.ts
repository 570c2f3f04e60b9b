// Resume a quarantined account (operator): the Resume button of a failure notice or of the daily
// digest (`qr:<accountId>`), and /account_resume <name>. The tap is answered and its button taken
// off the message; a second tap (or a teammate's) finds nothing to lift and says so briefly.
import { Composer } from 'telegraf';
import type { InlineKeyboardMarkup } from 'telegraf/types';
import { resumeAccount } from '../../../tasks/quarantine.ts';
import { escapeHtml } from '../../shared/text-budget.ts';
import { accountFromArgs } from '../account-arg.ts';
import { type BotContext, type BotDeps, requireRole } from '../context.ts';
import { decodeResume } from './notice.ts';

export function quarantineFeature(deps: BotDeps) {
  const feature = new Composer<BotContext>();
  const { db } = deps;

  feature.command('account_resume', async (ctx) => {
    if (!(await requireRole(ctx, db, 'operator', 'account.resume'))) return;
    const t = ctx.t.fleet.quarantine;
    const account = await accountFromArgs(ctx, db, t.usage);
    if (!account) return;
    const result = await resumeAccount(db, { accountId: account.id, actorId: ctx.actor.id, via: 'command' });
    const shown = escapeHtml(account.username);
    await ctx.reply(result.ok ? t.resumed(shown) : t.notPaused(shown), { parse_mode: 'HTML' });
  });

  feature.on('callback_query', async (ctx, next) => {
    const data = 'data' in ctx.callbackQuery ? ctx.callbackQuery.data : undefined;
    if (!data?.startsWith('qr:')) return next();
    const accountId = decodeResume(data);
    if (accountId === undefined)
      return void (await ctx.answerCbQuery(ctx.t.staleButton, { show_alert: true }));
    if (!(await requireRole(ctx, db, 'operator', 'account.resume'))) return;
    const t = ctx.t.fleet.quarantine;
    const result = await resumeAccount(db, { accountId, actorId: ctx.actor.id, via: 'button' });
    if (!result.ok && result.reason === 'missing') return void (await ctx.answerCbQuery(t.gone));
    // Answers are plain text: no HTML, so the name goes as it is.
    const name = result.ok ? result.account.username : result.username;
    await ctx.answerCbQuery(result.ok ? t.resumed(name) : t.notPaused(name));
    await dropButton(ctx, data).catch((err) =>
      deps.log.debug({ err }, 'could not take the Resume button off'),
    );
  });

  return feature;
}

/** Takes the tapped button off its message (the rest of the keyboard stays). */
async function dropButton(ctx: BotContext, data: string) {
  const message = ctx.callbackQuery?.message;
  const markup =
    message && 'reply_markup' in message ? (message.reply_markup as InlineKeyboardMarkup) : undefined;
  if (!markup) return;
  const rows = markup.inline_keyboard
    .map((row) => row.filter((b) => !('callback_data' in b) || b.callback_data !== data))
    .filter((row) => row.length > 0);
  await ctx.editMessageReplyMarkup({ inline_keyboard: rows });
}
