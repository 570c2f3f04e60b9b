// The Telegram users the bot knows, and the roles granted to them in chat. Admins listed in
// TELEGRAM_ADMIN_IDS are a second source, read at check time and never written here: a row's role
// is only ever one granted in chat (null for a configured admin the bot merely knows by name).
import { and, count, eq, inArray, isNull, notInArray, sql } from 'drizzle-orm';
import type { Executor } from './client.ts';
import { users } from './schema.ts';

export type Role = 'viewer' | 'operator' | 'admin';
export const ROLES: readonly Role[] = ['viewer', 'operator', 'admin'];

export type UserRow = typeof users.$inferSelect;

export async function findUser(exec: Executor, telegramId: number): Promise<UserRow | undefined> {
  const [row] = await exec.select().from(users).where(eq(users.telegramId, telegramId));
  return row;
}

/** The usernames of these Telegram users, where the bot knows them (null when they have none). */
export async function findUsernames(exec: Executor, telegramIds: readonly number[]) {
  if (telegramIds.length === 0) return [];
  return exec
    .select({ telegramId: users.telegramId, username: users.username })
    .from(users)
    .where(inArray(users.telegramId, [...telegramIds]));
}

/** Admin when configured on the server, else the role granted in chat, if any. */
export function effectiveRole(
  telegramId: number,
  row: { role: string | null } | undefined,
  configuredAdmins: ReadonlySet<number>,
): Role | undefined {
  if (configuredAdmins.has(telegramId)) return 'admin';
  return (row?.role ?? undefined) as Role | undefined;
}

export async function upsertUser(
  exec: Executor,
  user: { telegramId: number; role: Role; username?: string | null; grantedBy?: number | null },
) {
  const [row] = await exec
    .insert(users)
    .values({ ...user, username: user.username ?? null, grantedBy: user.grantedBy ?? null })
    .onConflictDoUpdate({
      target: users.telegramId,
      set: { role: user.role, grantedBy: user.grantedBy ?? null, updatedAt: sql`now()` },
    })
    .returning();
  return row;
}

export async function deleteUser(exec: Executor, telegramId: number): Promise<boolean> {
  const rows = await exec.delete(users).where(eq(users.telegramId, telegramId)).returning();
  return rows.length > 0;
}

/**
 * Keeps the name and language we show ("restarted by @bob") in step with Telegram. A configured
 * admin has no row until now; it gets one without a role.
 */
export async function touchUser(
  exec: Executor,
  telegramId: number,
  username: string | null,
  language: string | null,
) {
  await exec
    .insert(users)
    .values({ telegramId, username, language, role: null })
    .onConflictDoUpdate({ target: users.telegramId, set: { username, language, updatedAt: sql`now()` } });
}

/**
 * Serialises every change of access (grant, revoke) until the transaction ends, so that two
 * admins revoking each other at once cannot both succeed and leave none.
 */
export async function lockAccessChanges(tx: Executor): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('warmup-bot:users'))`);
}

/** Admins that would remain without `excluded`: the configured ones and those granted in chat. */
export async function countAdminsExcept(
  exec: Executor,
  excluded: number,
  configuredAdmins: ReadonlySet<number>,
): Promise<number> {
  const others = [...configuredAdmins].filter((id) => id !== excluded);
  const [row] = await exec
    .select({ n: count() })
    .from(users)
    .where(and(eq(users.role, 'admin'), notInArray(users.telegramId, [excluded, ...others])));
  return others.length + (row?.n ?? 0);
}

/**
 * Before TELEGRAM_ADMIN_IDS became a source, every start wrote its ids into this table as admins
 * (with no granter). Those roles are cleared, so that an id removed from the environment is no
 * longer an admin; roles granted in chat always name who granted them and are kept.
 */
export async function clearSeededAdminRoles(exec: Executor): Promise<number> {
  const rows = await exec
    .update(users)
    .set({ role: null, updatedAt: sql`now()` })
    .where(and(eq(users.role, 'admin'), isNull(users.grantedBy)))
    .returning({ id: users.telegramId });
  return rows.length;
}
