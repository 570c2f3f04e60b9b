// Access management (admins): /grant <user_id> viewer|operator|admin and /revoke <user_id>, each
// audited. Nobody changes their own access, so the last admin cannot lock everyone out by mistake.
import { Composer } from 'telegraf';
import { recordAudit } from '../../../db/audit-repo.ts';
import { deleteUser, findUser, type Role, upsertUser } from '../../../db/users-repo.ts';
import { escapeHtml, truncate } from '../../format.ts';
import { type BotContext, type BotDeps, commandArgs, requireRole } from '../context.ts';

const ROLES: readonly Role[] = ['viewer', 'operator', 'admin'];
// Telegram user ids fit in 52 bits.
const MAX_USER_ID = 2 ** 52;

export function accessAdminFeature(deps: BotDeps) {
  const feature = new Composer<BotContext>();
  const { db } = deps;

  /** The target user id, or the line saying what is wrong with it (or with aiming at oneself). */
  const target = (ctx: BotContext, text: string): number | string => {
    if (!/^\d{1,16}$/.test(text) || Number(text) < 1 || Number(text) >= MAX_USER_ID) {
      return ctx.t.grants.badUserId(escapeHtml(truncate(text, 32)));
    }
    return Number(text) === ctx.actor.id ? ctx.t.grants.notYourself : Number(text);
  };

  feature.command('grant', async (ctx) => {
    if (!(await requireRole(ctx, db, 'admin', 'grant'))) return;
    const t = ctx.t.grants;
    const say = (text: string) => ctx.reply(text, { parse_mode: 'HTML' });
    const args = commandArgs(ctx);
    if (args.length !== 2) return say(t.usageGrant);
    const userId = target(ctx, args[0]!);
    if (typeof userId === 'string') return say(userId);
    const role = args[1]!.toLowerCase() as Role;
    if (!ROLES.includes(role)) return say(t.badRole(escapeHtml(truncate(args[1]!, 32))));
    const previous = await db.transaction(async (tx) => {
      const before = (await findUser(tx, userId))?.role as Role | undefined;
      if (before === role) return before;
      await upsertUser(tx, { telegramId: userId, role, grantedBy: ctx.actor.id });
      await recordAudit(tx, {
        actorId: ctx.actor.id,
        action: 'user.grant',
        details: { userId, role, previous: before ?? null },
      });
      return before;
    });
    if (previous === role) return say(t.unchanged(userId, role));
    await say(previous ? t.changed(userId, previous, role) : t.granted(userId, role));
  });

  feature.command('revoke', async (ctx) => {
    if (!(await requireRole(ctx, db, 'admin', 'revoke'))) return;
    const t = ctx.t.grants;
    const say = (text: string) => ctx.reply(text, { parse_mode: 'HTML' });
    const args = commandArgs(ctx);
    if (args.length !== 1) return say(t.usageRevoke);
    const userId = target(ctx, args[0]!);
    if (typeof userId === 'string') return say(userId);
    const revoked = await db.transaction(async (tx) => {
      const before = await findUser(tx, userId);
      if (!before || !(await deleteUser(tx, userId))) return false;
      await recordAudit(tx, {
        actorId: ctx.actor.id,
        action: 'user.revoke',
        details: { userId, previous: before.role },
      });
      return true;
    });
    await say(revoked ? t.revoked(userId) : t.notAUser(userId));
  });

  return feature;
}
