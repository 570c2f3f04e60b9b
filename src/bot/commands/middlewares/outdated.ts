// An update the intake marked outdated (it waited beyond BOT_UPDATE_MAX_AGE) is not run: the sender
// of a command hears, in one line, which command was not run (its name only: the arguments may hold
// a secret) and why; a tap is answered as stale. Placed after access, so a stranger hears only what
// access says, and after the credentials guard, so a password in an old message is still deleted.
import { type MiddlewareFn, TelegramError } from 'telegraf';
import { duration, type Units } from '../../i18n/intl.ts';
import { outdatedOf } from '../../shared/outdated.ts';
import { addressedCommand } from '../addressed-command.ts';
import type { BotContext } from '../context.ts';
import { deleteMessageOnce } from './credentials.ts';

export function skipOutdated(): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const outdated = outdatedOf(ctx.update);
    if (!outdated) return next();
    const t = ctx.t.inbox.outdated;
    if (ctx.callbackQuery) {
      await ctx.answerCbQuery(t.tap).catch(ignoreExpiredQuery);
      return;
    }
    const command = commandOf(ctx);
    if (command === null) return; // addressed to another bot
    // In groups, only commands are ours to answer (as access does for strangers).
    if (command === undefined && ctx.chat?.type !== 'private') return;
    if (!ctx.chat) return;
    // A saved login's file is deleted from the chat when it is handled; an old one is too.
    if ((command === '/login' || command === '/session') && hasDocument(ctx)) await deleteMessageOnce(ctx);
    const age = duration(outdated.ageMs, ctx.t.units);
    const limit = roundDuration(outdated.limitMs, ctx.t.units);
    await ctx.reply(command ? t.command(command, age, limit) : t.message(age, limit));
  };
}

/** `/new` of "/new@thisbot alice …"; undefined: no command; null: a command to another bot. */
function commandOf(ctx: BotContext): string | undefined | null {
  const msg = ctx.message ?? ctx.editedMessage;
  if (!msg) return undefined;
  const text = 'text' in msg ? msg.text : 'caption' in msg ? msg.caption : undefined;
  const command = text ? addressedCommand(text, ctx.me) : undefined;
  return command ? `/${command.name}` : command;
}

function hasDocument(ctx: BotContext): boolean {
  const msg = ctx.message ?? ctx.editedMessage;
  return msg !== undefined && 'document' in msg;
}

/** 10 minutes as "10m", not "10m 0s": the limit is a setting, written as people set it. */
function roundDuration(ms: number, units: Units): string {
  const seconds = Math.round(ms / 1000);
  if (seconds % 3600 === 0) return units.h(String(seconds / 3600));
  if (seconds % 60 === 0) return units.m(String(seconds / 60));
  return duration(ms, units);
}

/** Telegram refuses to answer a query after a while; an old tap is exactly that case. */
function ignoreExpiredQuery(err: unknown): void {
  if (
    err instanceof TelegramError &&
    err.code === 400 &&
    /query is too old|query ID is invalid/i.test(err.description)
  )
    return;
  throw err;
}
