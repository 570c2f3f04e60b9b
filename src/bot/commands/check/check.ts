// /check <account> (operator), and the Check button of a failure notice: queue a pre-flight check
// of one account on its session queue (so it never shares the account's browser with a warmup)
// and say so at once; the worker's answer, with a screenshot, arrives as its own message
// (commands/check/answer.ts).
import { Composer } from 'telegraf';
import { findAccountsByUsernames } from '../../../db/accounts-repo.ts';
import { recordAudit } from '../../../db/audit-repo.ts';
import { liveLeaseAccounts } from '../../../db/leases-repo.ts';
import { escapeHtml } from '../../shared/text-budget.ts';
import { parseAccountRef } from '../account-input.ts';
import { type BotContext, type BotDeps, commandArgs, requireRole } from '../context.ts';
import { shownInput } from '../quoted-input.ts';
import { decodeCheckCallback, isCheckCallbackData } from './keyboard.ts';

export function checkFeature(deps: BotDeps) {
  const feature = new Composer<BotContext>();
  const { db } = deps;

  feature.command('check', async (ctx) => {
    if (!(await requireRole(ctx, db, 'operator', 'check'))) return;
    const t = ctx.t.check;
    const args = commandArgs(ctx);
    if (args.length !== 1) return void (await ctx.reply(t.usage, { parse_mode: 'HTML' }));
    const name = parseAccountRef(args[0]!);
    if (!name) {
      const shown = shownInput(args[0]!) ?? ctx.t.hiddenLink;
      return void (await ctx.reply(t.badUsername(shown), { parse_mode: 'HTML' }));
    }
    const { text } = await queueCheckOf(deps, ctx, name);
    await ctx.reply(text, { parse_mode: 'HTML' });
  });

  feature.on('callback_query', async (ctx, next) => {
    const data = 'data' in ctx.callbackQuery ? ctx.callbackQuery.data : undefined;
    if (!isCheckCallbackData(data)) return next();
    const name = decodeCheckCallback(data);
    if (!name) return void (await ctx.answerCbQuery(ctx.t.staleButton, { show_alert: true }));
    if (!(await requireRole(ctx, db, 'operator', 'check'))) return;
    const { text, queued } = await queueCheckOf(deps, ctx, name);
    // A callback answer is plain text; usernames hold nothing HTML escapes, so the text reads the same.
    await ctx.answerCbQuery(text, queued ? {} : { show_alert: true });
  });

  return feature;
}

/** Queues the check of `name` for this chat; the sentence to answer with (queued, or no such account). */
async function queueCheckOf(
  deps: BotDeps,
  ctx: BotContext,
  name: string,
): Promise<{ text: string; queued: boolean }> {
  const [account] = await findAccountsByUsernames(deps.db, [name]);
  if (!account) return { text: ctx.t.unknownAccount(escapeHtml(name)), queued: false };
  return { text: await queueCheck(deps, ctx, account), queued: true };
}

/** Queues the check (audited) and returns the answer: queued, or queued behind a running session. */
export async function queueCheck(
  deps: BotDeps,
  ctx: BotContext,
  account: { id: number; username: string },
): Promise<string> {
  const { db } = deps;
  const t = ctx.t.check;
  const chatId = ctx.chat!.id;
  await db.transaction(async (tx) => {
    await deps.jobs.requestCheck(tx, { accountId: account.id, chatId, actorId: ctx.actor.id });
    await recordAudit(tx, {
      actorId: ctx.actor.id,
      action: 'account.check',
      details: { accountId: account.id, username: account.username },
    });
  });
  // A warmup holding the account keeps the check queued behind it: say so rather than promise a minute.
  const busy = (await liveLeaseAccounts(db)).has(account.id);
  const shown = escapeHtml(account.username);
  return busy ? t.queuedBusy(shown) : t.queued(shown);
}
