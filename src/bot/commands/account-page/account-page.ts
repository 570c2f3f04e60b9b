// /account <name> (viewer+): one account at a glance — health, identity, quarantine, programmes,
// the last 10 runs — with Check (queues a pre-flight check, as /check does), Resume (while paused)
// and Restart last (the task of its latest run: its failed runs when that run failed, else all),
// shown to operators (a viewer sees the page alone).
import { Composer } from 'telegraf';
import { lastRunsOfAccount, programmesOfAccount } from '../../../db/account-page-repo.ts';
import { findLiveAccount } from '../../../db/accounts-repo.ts';
import type { AccountRow } from '../../../db/schema.ts';
import { restartTask } from '../../../tasks/restart-task.ts';
import { accountFromArgs } from '../account-arg.ts';
import { queueCheck } from '../check/check.ts';
import { type BotContext, type BotDeps, hasRole, requireRole } from '../context.ts';
import { platformName, platformsOf } from '../platform-input.ts';
import { restartRefusal } from '../tasks/restart-refusal.ts';
import { formatAccountPage } from './format.ts';
import { accountKeyboard, decodeAccountCallback, isAccountCallbackData } from './keyboard.ts';

export function accountPageFeature(deps: BotDeps) {
  const feature = new Composer<BotContext>();
  const { db } = deps;

  const show = async (ctx: BotContext, account: AccountRow) => {
    const [programmes, runs] = await Promise.all([
      programmesOfAccount(db, account.id),
      lastRunsOfAccount(db, account.id, 10),
    ]);
    // Times in the chat's own timezone when it chose one (/tz), else the team's: ctx.t's already.
    const { t } = ctx;
    const platform = platformName(account.platform, platformsOf(deps));
    const text = formatAccountPage(t, { account, platform, programmes, runs });
    // Every button acts (check, resume, restart): a viewer gets the page alone.
    const keyboard = hasRole(ctx.actor, 'operator')
      ? accountKeyboard(t, {
          id: account.id,
          quarantined: account.quarantinedAt !== null,
          hasRun: runs.length > 0,
        })
      : {};
    await ctx.reply(text, { parse_mode: 'HTML', ...keyboard });
  };

  feature.command('account', async (ctx) => {
    const account = await accountFromArgs(ctx, db, ctx.t.fleet.account.usage);
    if (account) await show(ctx, account);
  });

  feature.on('callback_query', async (ctx, next) => {
    const data = 'data' in ctx.callbackQuery ? ctx.callbackQuery.data : undefined;
    if (!isAccountCallbackData(data)) return next();
    const cb = decodeAccountCallback(data);
    if (!cb) return void (await ctx.answerCbQuery(ctx.t.staleButton, { show_alert: true }));
    if (!(await requireRole(ctx, db, 'operator', `account.${cb.action}`))) return;
    const account = await findLiveAccount(db, cb.accountId);
    if (!account) return void (await ctx.answerCbQuery(ctx.t.fleet.quarantine.gone, { show_alert: true }));
    if (cb.action === 'check') {
      const answer = await queueCheck(deps, ctx, account);
      await ctx.answerCbQuery();
      await ctx.reply(answer, { parse_mode: 'HTML' });
      return;
    }
    const [last] = await lastRunsOfAccount(db, account.id, 1);
    if (!last) return void (await ctx.answerCbQuery(ctx.t.fleet.account.noLastRun, { show_alert: true }));
    const scope = last.status === 'failed' || last.status === 'cancelled' ? 'failed' : 'all';
    const result = await restartTask(db, deps.jobs, {
      taskId: last.taskId,
      scope,
      actorId: ctx.actor.id,
      chatId: ctx.chat?.id ?? null,
    });
    if (result.ok) return void (await ctx.answerCbQuery(ctx.t.restarted(last.taskId)));
    await ctx.answerCbQuery(restartRefusal(ctx.t, last.taskId, result), { show_alert: true });
  });

  return feature;
}
