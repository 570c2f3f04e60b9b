// Task commands and buttons: /list, /task, /restart, /cancel, and the Restart, Restart failed,
// Cancel, Details, Refresh and paging buttons. Parse, authorize, call a use case, answer.
// Success of restart and cancel is announced by the notifier (one message per event). A restart
// of a task with logged-out, captcha, blocked or quarantined accounts asks first ("Restart the
// healthy ones", offered when there are some, and "Restart anyway").
import { Composer } from 'telegraf';
import { isStatus, type Status } from '../../../tasks/lifecycle.ts';
import { MAX_ID } from '../../shared/buttons.ts';
import { type BotContext, type BotDeps, commandArgs, requireRole } from '../context.ts';
import { shownInput } from '../quoted-input.ts';
import { decodeCallback } from './keyboard.ts';
import { restartWarning } from './restart-warning.ts';
import { cancelAs, onTaskButton, restartAs } from './task-actions.ts';
import { showList, showTask } from './task-views.ts';

/** A task id from user text, or the sentence saying what is wrong with it. */
export function parseTaskId(ctx: BotContext, text: string): number | string {
  if (!/^\d{1,10}$/.test(text) || Number(text) < 1 || Number(text) > MAX_ID) {
    return ctx.t.badId(shownInput(text, 32) ?? ctx.t.hiddenLink);
  }
  return Number(text);
}

export function tasksFeature(deps: BotDeps) {
  const feature = new Composer<BotContext>();
  feature.command('list', (ctx) => listCommand(deps, ctx));
  feature.command('task', (ctx) => taskCommand(deps, ctx));
  feature.command('restart', (ctx) => restartCommand(deps, ctx));
  feature.command('cancel', (ctx) => cancelCommand(deps, ctx));
  feature.on('callback_query', async (ctx, next) => {
    const cb = decodeCallback('data' in ctx.callbackQuery ? ctx.callbackQuery.data : undefined);
    if (!cb) return next();
    if (cb.kind === 'task') return onTaskButton(deps, ctx, cb);
    await ctx.answerCbQuery();
    await showList(deps.db, ctx, cb.status, cb.page, true, cb.cursor);
  });
  return feature;
}

/** /list [status] [page] */
async function listCommand({ db }: BotDeps, ctx: BotContext) {
  const args = commandArgs(ctx);
  let status: Status | undefined;
  let page = 1;
  for (const arg of args) {
    const word = arg.toLowerCase();
    if (isStatus(word) && !status) status = word;
    else if (/^[1-9]\d{0,5}$/.test(word) && page === 1) page = Number(word);
    else return ctx.reply(ctx.t.usage.list, { parse_mode: 'HTML' });
  }
  await showList(db, ctx, status, page, false);
}

/** /task <id> */
async function taskCommand({ db }: BotDeps, ctx: BotContext) {
  const args = commandArgs(ctx);
  if (args.length !== 1) return ctx.reply(ctx.t.usage.task, { parse_mode: 'HTML' });
  const id = parseTaskId(ctx, args[0]!);
  if (typeof id === 'string') return ctx.reply(id, { parse_mode: 'HTML' });
  await showTask(db, ctx, id, false);
}

/** /restart <id> [failed] (operators) */
async function restartCommand(deps: BotDeps, ctx: BotContext) {
  const { db } = deps;
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
  const { refusal } = await restartAs(deps, ctx, id, scope);
  if (refusal) await ctx.reply(refusal, { parse_mode: 'HTML' });
}

/** /cancel <id> (operators) */
async function cancelCommand(deps: BotDeps, ctx: BotContext) {
  if (!(await requireRole(ctx, deps.db, 'operator', 'cancel'))) return;
  const args = commandArgs(ctx);
  if (args.length !== 1) return ctx.reply(ctx.t.usage.cancel, { parse_mode: 'HTML' });
  const id = parseTaskId(ctx, args[0]!);
  if (typeof id === 'string') return ctx.reply(id, { parse_mode: 'HTML' });
  const refusal = await cancelAs(deps, ctx, id);
  if (refusal) await ctx.reply(refusal, { parse_mode: 'HTML' });
}
