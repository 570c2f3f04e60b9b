// Task commands and buttons: /list, /task, /restart, /cancel, and the Restart, Restart failed,
// Cancel, Details, Refresh and paging buttons. Parse, authorize, call a use case, answer.
// Success of restart and cancel is announced by the notifier (one message per event). A restart
// of a task with logged-out, captcha, blocked or quarantined accounts asks first ("Restart the
// healthy ones", offered when there are some, and "Restart anyway").
import { Composer } from 'telegraf';
import { cancelTask } from '../../../tasks/cancel-task.ts';
import { isStatus, type Status } from '../../../tasks/lifecycle.ts';
import { actorNames, getTaskDetails, listTasksPage, type PageCursor } from '../../../tasks/queries.ts';
import { isHealthyScope, type RestartScope, restartTask } from '../../../tasks/restart-task.ts';
import { formatTaskDetails, formatTaskList } from '../../format.ts';
import { decodeCallback, listKeyboard, type TaskAction, taskKeyboard } from '../../keyboards.ts';
import { nextStepButtons, withNextSteps } from '../../next-steps.ts';
import { ignoreNotModified } from '../../notifications/send-with-retry.ts';
import { type BotContext, type BotDeps, commandArgs, requireRole } from '../context.ts';
import { shownInput } from '../quoted-input.ts';
import { restartRefusal } from './restart-refusal.ts';
import { restartWarning } from './restart-warning.ts';

const MAX_TASK_ID = 2_147_483_647;

/** What each restart button restarts; the plain ones ask first when accounts are unhealthy. */
const SCOPE_OF: Partial<Record<TaskAction, RestartScope>> = {
  restart: 'all',
  restartFailed: 'failed',
  restartAnyway: 'all',
  restartFailedAnyway: 'failed',
  restartHealthy: 'healthy',
  restartFailedHealthy: 'failedHealthy',
};

/** A task id from user text, or the sentence saying what is wrong with it. */
export function parseTaskId(ctx: BotContext, text: string): number | string {
  if (!/^\d{1,10}$/.test(text) || Number(text) < 1 || Number(text) > MAX_TASK_ID) {
    return ctx.t.badId(shownInput(text, 32) ?? ctx.t.hiddenLink);
  }
  return Number(text);
}

export function tasksFeature(deps: BotDeps) {
  const feature = new Composer<BotContext>();
  const { db, jobs } = deps;

  const sendDetails = async (ctx: BotContext, taskId: number, edit: boolean) => {
    const details = await getTaskDetails(db, taskId);
    if (!details) return ctx.reply(ctx.t.notFound(taskId));
    const names = await actorNames(db, [details.task.createdBy, details.task.restartedBy]);
    const failed = details.runs.filter((r) => r.status === 'failed').length;
    const cancelled = details.runs.filter((r) => r.status === 'cancelled').length;
    const text = formatTaskDetails(ctx.t, details, names);
    const current = details.runs.filter(
      (r) => r.status === 'failed' && r.runNumber === details.task.runNumber,
    );
    const steps = nextStepButtons(
      ctx.t,
      current.map((r) => ({ account: r.username, code: r.reasonCode })),
    );
    const keyboard = withNextSteps(
      taskKeyboard(ctx.t, taskId, details.task.status, { failed, cancelled }, ['details']),
      steps,
    );
    if (edit) return ctx.editMessageText(text, { parse_mode: 'HTML', ...keyboard }).catch(ignoreNotModified);
    return ctx.reply(text, { parse_mode: 'HTML', ...keyboard });
  };

  const sendList = async (
    ctx: BotContext,
    status: Status | undefined,
    page: number,
    edit: boolean,
    cursor?: PageCursor,
  ) => {
    const result = await listTasksPage(db, {
      ...(status ? { status } : {}),
      page,
      ...(cursor ? { cursor } : {}),
    });
    const text = formatTaskList(ctx.t, result, status);
    const keyboard = listKeyboard(ctx.t, status, result);
    if (edit) return ctx.editMessageText(text, { parse_mode: 'HTML', ...keyboard }).catch(ignoreNotModified);
    return ctx.reply(text, { parse_mode: 'HTML', ...keyboard });
  };

  const restart = async (
    ctx: BotContext,
    taskId: number,
    scope: RestartScope,
  ): Promise<{ refusal?: string; done: string }> => {
    const result = await restartTask(db, jobs, {
      taskId,
      scope,
      actorId: ctx.actor.id,
      chatId: ctx.chat?.id ?? null,
    });
    const done = ctx.t.restarted(taskId);
    if (result.ok) {
      const healthy = isHealthyScope(scope);
      return { done: healthy ? ctx.t.nextSteps.restartedHealthy(taskId, result.runs.length) : done };
    }
    return { refusal: restartRefusal(ctx.t, taskId, result), done };
  };

  const cancel = async (ctx: BotContext, taskId: number): Promise<string | undefined> => {
    const result = await cancelTask(db, jobs, { taskId, actorId: ctx.actor.id });
    if (result.ok) return undefined;
    if (result.reason === 'not_found') return ctx.t.notFound(taskId);
    return ctx.t.cancelRefused(taskId, ctx.t.why[result.status]);
  };

  feature.command('list', async (ctx) => {
    const args = commandArgs(ctx);
    let status: Status | undefined;
    let page = 1;
    for (const arg of args) {
      const word = arg.toLowerCase();
      if (isStatus(word) && !status) status = word;
      else if (/^[1-9]\d{0,5}$/.test(word) && page === 1) page = Number(word);
      else return ctx.reply(ctx.t.usage.list, { parse_mode: 'HTML' });
    }
    await sendList(ctx, status, page, false);
  });

  feature.command('task', async (ctx) => {
    const args = commandArgs(ctx);
    if (args.length !== 1) return ctx.reply(ctx.t.usage.task, { parse_mode: 'HTML' });
    const id = parseTaskId(ctx, args[0]!);
    if (typeof id === 'string') return ctx.reply(id, { parse_mode: 'HTML' });
    await sendDetails(ctx, id, false);
  });

  feature.command('restart', async (ctx) => {
    if (!(await requireRole(ctx, db, 'operator', 'restart'))) return;
    const args = commandArgs(ctx);
    if (args.length < 1 || args.length > 2) return ctx.reply(ctx.t.usage.restart, { parse_mode: 'HTML' });
    const id = parseTaskId(ctx, args[0]!);
    if (typeof id === 'string') return ctx.reply(id, { parse_mode: 'HTML' });
    if (args[1] !== undefined && args[1].toLowerCase() !== 'failed') {
      return ctx.reply(ctx.t.badScope(shownInput(args[1], 32) ?? ctx.t.hiddenLink), { parse_mode: 'HTML' });
    }
    const scope = args[1] ? 'failed' : 'all';
    const warning = await restartWarning(db, ctx, id, scope);
    if (warning) return ctx.reply(warning.text, { parse_mode: 'HTML', reply_markup: warning.reply_markup });
    const { refusal } = await restart(ctx, id, scope);
    if (refusal) await ctx.reply(refusal, { parse_mode: 'HTML' });
  });

  feature.command('cancel', async (ctx) => {
    if (!(await requireRole(ctx, db, 'operator', 'cancel'))) return;
    const args = commandArgs(ctx);
    if (args.length !== 1) return ctx.reply(ctx.t.usage.cancel, { parse_mode: 'HTML' });
    const id = parseTaskId(ctx, args[0]!);
    if (typeof id === 'string') return ctx.reply(id, { parse_mode: 'HTML' });
    const refusal = await cancel(ctx, id);
    if (refusal) await ctx.reply(refusal, { parse_mode: 'HTML' });
  });

  feature.on('callback_query', async (ctx, next) => {
    const data = 'data' in ctx.callbackQuery ? ctx.callbackQuery.data : undefined;
    const cb = decodeCallback(data);
    if (!cb) return next();
    if (cb.kind === 'list') {
      await ctx.answerCbQuery();
      await sendList(ctx, cb.status, cb.page, true, cb.cursor);
      return;
    }
    const { action, taskId } = cb;
    const changes = action !== 'details' && action !== 'refresh';
    if (changes && !(await requireRole(ctx, db, 'operator', action))) return;
    if (action === 'details' || action === 'refresh') {
      await ctx.answerCbQuery();
      await sendDetails(ctx, taskId, action === 'refresh');
      return;
    }
    const scope = SCOPE_OF[action];
    if (action === 'restart' || action === 'restartFailed') {
      const warning = await restartWarning(db, ctx, taskId, action === 'restart' ? 'all' : 'failed');
      if (warning) {
        await ctx.answerCbQuery();
        await ctx.reply(warning.text, { parse_mode: 'HTML', reply_markup: warning.reply_markup });
        return;
      }
    }
    const { refusal, done } = scope
      ? await restart(ctx, taskId, scope)
      : { refusal: await cancel(ctx, taskId), done: ctx.t.cancelled(taskId) };
    await ctx.answerCbQuery(refusal ?? done, refusal ? { show_alert: true } : {});
  });

  return feature;
}
