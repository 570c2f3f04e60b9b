// /account_remove <name> (admin) asks first — how many of its sessions would be cancelled and how
// many programmes it leaves — with Remove / Keep it; Remove (any admin) removes it through
// tasks/fleet/remove.ts and says what that did, by editing the question.
import { liveMembershipsOf } from '../../../db/programmes-repo.ts';
import { unfinishedRunsOfAccount } from '../../../db/tasks-repo.ts';
import { removeAccount } from '../../../tasks/fleet/remove.ts';
import { ignoreNotModified } from '../../notifications/send-with-retry.ts';
import { escapeHtml } from '../../shared/text-budget.ts';
import { accountFromArgs } from '../account-arg.ts';
import { type BotContext, type BotDeps, requireRole } from '../context.ts';
import { decodeRemoveTap, removeKeyboard } from './keyboard.ts';

export async function askRemove(deps: BotDeps, ctx: BotContext) {
  if (!(await requireRole(ctx, deps.db, 'admin', 'account_remove'))) return;
  const r = ctx.t.fleet.remove;
  const account = await accountFromArgs(ctx, deps.db, r.usage);
  if (!account) return;
  const [runs, memberships] = await Promise.all([
    unfinishedRunsOfAccount(deps.db, account.id),
    liveMembershipsOf(deps.db, account.id),
  ]);
  const lines = [
    r.confirm(escapeHtml(account.username)),
    ...(runs.length > 0 ? [r.running(runs.length)] : []),
    ...(memberships.length > 0 ? [r.programmes(memberships.length)] : []),
  ];
  await ctx.reply(lines.join('\n'), { parse_mode: 'HTML', ...removeKeyboard(ctx.t, account.id) });
}

export async function onRemoveTap(deps: BotDeps, ctx: BotContext, data: string | undefined) {
  const r = ctx.t.fleet.remove;
  const tap = decodeRemoveTap(data);
  if (!tap) return void (await ctx.answerCbQuery(r.badButton, { show_alert: true }));
  if (!(await requireRole(ctx, deps.db, 'admin', 'account_remove'))) return;
  if (tap.action === 'keep') {
    await ctx.editMessageText(r.kept).catch(ignoreNotModified);
    return void (await ctx.answerCbQuery());
  }
  const result = await removeAccount(deps.db, deps.jobs, {
    accountId: tap.accountId,
    actorId: ctx.actor.id,
    now: new Date((deps.now ?? Date.now)()),
  });
  if (!result.ok) return void (await ctx.answerCbQuery(r.gone, { show_alert: true }));
  const lines = [
    r.done(escapeHtml(result.username)),
    ...(result.cancelledRuns > 0 ? [r.cancelled(result.cancelledRuns)] : []),
    ...(result.programmes > 0 ? [r.left(result.programmes, result.skippedSlots)] : []),
  ];
  await ctx.editMessageText(lines.join('\n'), { parse_mode: 'HTML' }).catch(ignoreNotModified);
  await ctx.answerCbQuery();
}
