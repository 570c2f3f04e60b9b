// Allow-list: only admins configured on the server (TELEGRAM_ADMIN_IDS, read at every check) and
// users with a role granted in chat get past this point, with their role and language. Anyone else
// gets one line with their numeric id (so an admin can /grant it) and an audit entry,
// at most once per REFUSAL_INTERVAL_MS: strangers cannot spend the team's send budget.
import type { MiddlewareFn } from 'telegraf';
import { recordAudit } from '../../../db/audit-repo.ts';
import { effectiveRole, findUser, touchUser } from '../../../db/users-repo.ts';
import { langOf, textsFor } from '../../i18n/index.ts';
import { chatTimeZone } from '../../shared/chat-locale.ts';
import type { BotContext, BotDeps } from '../context.ts';
import { guardCredentials } from './credentials.ts';

export const REFUSAL_INTERVAL_MS = 10 * 60_000;

export function access(deps: BotDeps): MiddlewareFn<BotContext> {
  const configuredAdmins = new Set(deps.adminIds ?? []);
  const now = deps.now ?? Date.now;
  const refused = new Map<number, number>(); // stranger → when they were last refused
  const mayRefuse = (id: number): boolean => {
    const at = now();
    for (const [who, when] of refused) if (at - when >= REFUSAL_INTERVAL_MS) refused.delete(who);
    if (refused.has(id)) return false;
    refused.set(id, at);
    return true;
  };
  return async (ctx, next) => {
    const from = ctx.from;
    if (!from || from.is_bot) return;
    const lang = langOf(from.language_code);
    ctx.t = textsFor(lang, deps.timeZone);
    // Credentials go before anything else happens: even a refused stranger's message is deleted.
    return guardCredentials(ctx, () => allowList(ctx, next));
  };

  async function allowList(ctx: BotContext, next: () => Promise<void>): Promise<void> {
    const from = ctx.from!;
    const lang = langOf(from.language_code);
    const user = await findUser(deps.db, from.id);
    const role = effectiveRole(from.id, user, configuredAdmins);
    if (!role) {
      const isCommand = ctx.message && 'text' in ctx.message && ctx.message.text.startsWith('/');
      const isPrivate = ctx.chat?.type === 'private';
      // In groups, strangers' chatter is none of our business; commands and taps get an answer.
      if (!ctx.callbackQuery && !isCommand && !isPrivate) return;
      if (!mayRefuse(from.id)) return;
      await recordAudit(deps.db, {
        actorId: from.id,
        action: 'access.denied',
        details: { update: ctx.updateType, chatId: ctx.chat?.id ?? null, username: from.username ?? null },
      });
      if (ctx.callbackQuery) await ctx.answerCbQuery(ctx.t.refusal(from.id), { show_alert: true });
      else if (ctx.chat) await ctx.reply(ctx.t.refusal(from.id));
      return;
    }
    refused.delete(from.id); // granted meanwhile: should access be revoked, they hear it again
    const username = from.username ?? null;
    if (user?.username !== username || user?.language !== lang)
      await touchUser(deps.db, from.id, username, lang);
    ctx.actor = { id: from.id, username, role, lang };
    // The chat's own timezone (/tz), read once per update; strangers never cost this query.
    const zone = await chatTimeZone(deps.db, ctx.chat?.id, deps.timeZone);
    if (zone !== ctx.t.locale.timeZone) ctx.t = textsFor(lang, zone);
    return next();
  }
}
