// Access management (admins): /grant <user_id> viewer|operator|admin and /revoke <user_id>, each
// audited. Admins configured on the server are not changed from the chat; nobody changes their own
// access; and, under a lock, the last admin is neither revoked nor demoted.
import { Composer } from 'telegraf';
import { recordAudit } from '../../../db/audit-repo.ts';
import type { Db } from '../../../db/client.ts';
import {
  countAdminsExcept,
  deleteUser,
  effectiveRole,
  findUser,
  lockAccessChanges,
  ROLES,
  type Role,
  upsertUser,
} from '../../../db/users-repo.ts';
import { type BotContext, type BotDeps, commandArgs, requireRole } from '../context.ts';
import { shownInput } from '../quoted-input.ts';

// Telegram user ids fit in 52 bits.
const MAX_USER_ID = 2 ** 52;

type Change = { actorId: number; userId: number; role: Role | null };
type Outcome =
  | { kind: 'applied'; previous: Role | undefined }
  | { kind: 'unchanged' | 'notAUser' | 'lastAdmin' | 'actorNotAdmin' };

/**
 * Applies a grant (role) or a revoke (null) in one transaction under the access lock, re-checking
 * there that the actor is still an admin and that an admin remains.
 */
async function changeAccess(db: Db, change: Change, configured: ReadonlySet<number>): Promise<Outcome> {
  return db.transaction(async (tx) => {
    await lockAccessChanges(tx);
    if (effectiveRole(change.actorId, await findUser(tx, change.actorId), configured) !== 'admin')
      return { kind: 'actorNotAdmin' };
    const before = (await findUser(tx, change.userId))?.role as Role | null | undefined;
    const previous = before ?? undefined;
    if (change.role === null && !previous) return { kind: 'notAUser' };
    if (change.role === previous) return { kind: 'unchanged' };
    if (previous === 'admin' && (await countAdminsExcept(tx, change.userId, configured)) === 0)
      return { kind: 'lastAdmin' };
    if (change.role === null) {
      await deleteUser(tx, change.userId);
      await recordAudit(tx, {
        actorId: change.actorId,
        action: 'user.revoke',
        details: { userId: change.userId, previous: previous ?? null },
      });
    } else {
      await upsertUser(tx, { telegramId: change.userId, role: change.role, grantedBy: change.actorId });
      await recordAudit(tx, {
        actorId: change.actorId,
        action: 'user.grant',
        details: { userId: change.userId, role: change.role, previous: previous ?? null },
      });
    }
    return { kind: 'applied', previous };
  });
}

export function accessAdminFeature(deps: BotDeps) {
  const feature = new Composer<BotContext>();
  const { db } = deps;
  const configured = new Set(deps.adminIds ?? []);

  /** The target user id, or the line saying what is wrong with it (or with aiming at oneself). */
  const target = (ctx: BotContext, text: string): number | string => {
    const t = ctx.t.grants;
    if (!/^\d{1,16}$/.test(text) || Number(text) < 1 || Number(text) >= MAX_USER_ID) {
      return t.badUserId(shownInput(text, 32) ?? ctx.t.hiddenLink);
    }
    if (Number(text) === ctx.actor.id) return t.notYourself;
    return configured.has(Number(text)) ? t.configured(Number(text)) : Number(text);
  };

  const answer = (ctx: BotContext, userId: number, role: Role | null, outcome: Outcome): string => {
    const t = ctx.t.grants;
    const word = (r: Role) => ctx.t.roles[r];
    switch (outcome.kind) {
      case 'applied':
        if (role === null) return t.revoked(userId);
        return outcome.previous
          ? t.changed(userId, word(outcome.previous), word(role))
          : t.granted(userId, word(role));
      case 'unchanged':
        return t.unchanged(userId, role ? word(role) : '');
      case 'notAUser':
        return t.notAUser(userId);
      case 'lastAdmin':
        return t.lastAdmin(userId);
      case 'actorNotAdmin':
        return t.noLongerAdmin;
    }
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
    if (!ROLES.includes(role)) return say(t.badRole(shownInput(args[1]!, 32) ?? ctx.t.hiddenLink));
    const outcome = await changeAccess(db, { actorId: ctx.actor.id, userId, role }, configured);
    await say(answer(ctx, userId, role, outcome));
  });

  feature.command('revoke', async (ctx) => {
    if (!(await requireRole(ctx, db, 'admin', 'revoke'))) return;
    const t = ctx.t.grants;
    const say = (text: string) => ctx.reply(text, { parse_mode: 'HTML' });
    const args = commandArgs(ctx);
    if (args.length !== 1) return say(t.usageRevoke);
    const userId = target(ctx, args[0]!);
    if (typeof userId === 'string') return say(userId);
    const outcome = await changeAccess(db, { actorId: ctx.actor.id, userId, role: null }, configured);
    await say(answer(ctx, userId, null, outcome));
  });

  return feature;
}
