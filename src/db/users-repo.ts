// Allow-listed Telegram users and their roles.
import { eq, sql } from 'drizzle-orm';
import type { Executor } from './client.ts';
import { users } from './schema.ts';

export type Role = 'viewer' | 'operator' | 'admin';

export async function findUser(exec: Executor, telegramId: number) {
  const [row] = await exec.select().from(users).where(eq(users.telegramId, telegramId));
  return row;
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

/** Keeps the name and language we show ("restarted by @bob") in step with Telegram. */
export async function touchUser(
  exec: Executor,
  telegramId: number,
  username: string | null,
  language: string | null,
) {
  await exec
    .update(users)
    .set({ username, language, updatedAt: sql`now()` })
    .where(eq(users.telegramId, telegramId));
}
