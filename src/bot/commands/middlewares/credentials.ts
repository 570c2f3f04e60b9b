// A message to the bot that carries credentials (`user:pass@` or `host:port:user:pass` in any
// argument, quoted-input.ts) does not stay in
// the chat: it is deleted as soon as it arrives, and the sender is told — or, when the bot may not
// delete it (a group where it is no admin), asked to delete it themselves.
import type { BotContext } from '../context.ts';
import { hasCredentials } from '../quoted-input.ts';

const DELETION = Symbol('deletion');
type WithDeletion = { [DELETION]?: Promise<boolean> };

/** Deletes the update's message once, however many parts ask; true when it is gone. */
export function deleteMessageOnce(ctx: BotContext): Promise<boolean> {
  const state = ctx.state as WithDeletion;
  state[DELETION] ??= ctx.deleteMessage().then(
    () => true,
    () => false,
  );
  return state[DELETION];
}

/**
 * Deletes a message that names a proxy, with or without a password; the line to add to the answer,
 * unless the message held credentials (the guard below deleted it and says so).
 */
export async function deleteProxyMessage(ctx: BotContext): Promise<string | undefined> {
  const deleted = await deleteMessageOnce(ctx);
  const text = ctx.message && 'text' in ctx.message ? ctx.message.text : '';
  if (hasCredentials(text)) return undefined;
  return deleted ? ctx.t.fleet.set.proxyDeleted : ctx.t.fleet.set.proxyNotDeleted;
}

/** The text or caption of a message addressed to the bot (a command, or anything in private). */
function addressedText(ctx: BotContext): string | undefined {
  const msg = ctx.message ?? ctx.editedMessage;
  if (!msg) return undefined;
  const text = 'text' in msg ? msg.text : 'caption' in msg ? msg.caption : undefined;
  if (!text) return undefined;
  return ctx.chat?.type === 'private' || text.trimStart().startsWith('/') ? text : undefined;
}

/** Runs `next` with the message already deleted when it holds credentials, then says so. */
export async function guardCredentials(ctx: BotContext, next: () => Promise<void>): Promise<void> {
  const text = addressedText(ctx);
  if (!text || !hasCredentials(text)) return next();
  const deleted = await deleteMessageOnce(ctx);
  try {
    await next();
  } finally {
    await ctx.reply(deleted ? ctx.t.secrets.deleted : ctx.t.secrets.notDeleted).catch(() => undefined);
  }
}
