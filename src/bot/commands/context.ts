// The bot's context: telegraf's Context plus who is acting (id, role, language) and their texts.
import type { Context } from 'telegraf';
import { recordAudit } from '../../db/audit-repo.ts';
import type { Db } from '../../db/client.ts';
import type { Role } from '../../db/users-repo.ts';
import type { Logger } from '../../logger.ts';
import type { JobPort } from '../../tasks/ports.ts';
import type { Lang, Texts } from '../i18n/index.ts';

export type Actor = { id: number; username: string | null; role: Role; lang: Lang };

export interface BotContext extends Context {
  actor: Actor;
  t: Texts;
}

export type BotDeps = {
  db: Db;
  jobs: JobPort;
  log: Logger;
  /** Encrypts uploaded saved logins (and proxies, the inbox); without it /login is refused. */
  secretsKey: Buffer | undefined;
  /** TELEGRAM_ADMIN_IDS: admins by configuration, whatever the users table says. */
  adminIds?: readonly number[];
  /** TIMEZONE: the IANA zone absolute times are shown in (UTC when not given). */
  timeZone?: string;
  /** The platforms accounts may name (the site profiles loaded at start) and the default one. */
  platforms?: { names: readonly string[]; defaultName: string };
  /** The clock of the stranger refusal limit and of import previews (tests drive it). */
  now?: () => number;
};

const RANK: Record<Role, number> = { viewer: 1, operator: 2, admin: 3 };

export function hasRole(actor: Actor, needed: Role): boolean {
  return RANK[actor.role] >= RANK[needed];
}

/** The words after the command, split on whitespace ("/restart@bot 42 failed" → ["42", "failed"]). */
export function commandArgs(ctx: Context): string[] {
  const text = ctx.message && 'text' in ctx.message ? ctx.message.text : '';
  return text.trim().split(/\s+/).slice(1);
}

/**
 * Checks the actor's role for an action; when it falls short, audits the attempt, answers (an
 * alert for a button, a reply for a command) and returns false.
 */
export async function requireRole(ctx: BotContext, db: Db, needed: Role, action: string): Promise<boolean> {
  if (hasRole(ctx.actor, needed)) return true;
  await recordAudit(db, {
    actorId: ctx.actor.id,
    action: 'access.forbidden',
    details: { attempted: action, role: ctx.actor.role },
  });
  const text = ctx.t.forbidden(ctx.t.roles[ctx.actor.role]);
  if (ctx.callbackQuery) await ctx.answerCbQuery(text, { show_alert: true });
  else await ctx.reply(text);
  return false;
}
