// The per-chat delivery lease of the outbox: one bot process at a time reads and sends a chat's
// pending entries. Expiry is the database's clock (now()), the one clock every process shares.
import { and, eq, lte, or, sql } from 'drizzle-orm';
import type { Executor } from './client.ts';
import { chatLanes } from './schema.ts';

/**
 * Takes (or renews) the chat's lane for `holder` until now() + leaseMs: when it is free, expired,
 * or already ours. False when another holder's lease still runs.
 */
export async function takeChatLane(
  exec: Executor,
  chatId: number,
  holder: string,
  leaseMs: number,
): Promise<boolean> {
  const until = sql`now() + ${`${Math.max(1, Math.round(leaseMs))} milliseconds`}::interval`;
  const rows = await exec
    .insert(chatLanes)
    .values({ chatId, holder, expiresAt: until })
    .onConflictDoUpdate({
      target: chatLanes.chatId,
      set: { holder, expiresAt: until },
      setWhere: or(lte(chatLanes.expiresAt, sql`now()`), eq(chatLanes.holder, holder)),
    })
    .returning({ chatId: chatLanes.chatId });
  return rows.length > 0;
}

/** Lets the chat's lane go at once (if it is still ours), for another process's next wake. */
export async function releaseChatLane(exec: Executor, chatId: number, holder: string): Promise<void> {
  await exec
    .update(chatLanes)
    .set({ expiresAt: sql`now()` })
    .where(and(eq(chatLanes.chatId, chatId), eq(chatLanes.holder, holder)));
}
