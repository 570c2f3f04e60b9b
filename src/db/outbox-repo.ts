// The per-chat notification outbox and the chats we cannot write to: record an event once per
// job, read a chat's pending entries in order, settle them, and keep the table small.
import { and, asc, eq, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Db, Executor } from './client.ts';
import { notificationOutbox, type OutboxOutcome, unreachableChats } from './schema.ts';

export type OutboxEntry = { id: number; chatId: number; taskId: number; event: unknown };

/** Records an event for its chat; a second recording of the same job changes nothing. */
export async function recordNotification(
  exec: Executor,
  entry: { chatId: number; taskId: number; jobId: string | null; event: unknown; heldUntil?: Date | null },
): Promise<void> {
  await exec
    .insert(notificationOutbox)
    .values(entry)
    .onConflictDoNothing({ target: notificationOutbox.jobId });
}

/** Not settled, and not held (quiet hours) beyond `now`. */
const due = (now: Date) =>
  and(
    isNull(notificationOutbox.settledAt),
    or(isNull(notificationOutbox.heldUntil), lte(notificationOutbox.heldUntil, now)),
  );

/** The chat's unsettled entries that are due by `now` (held ones wait for their time), oldest first. */
export async function pendingNotifications(exec: Executor, chatId: number, limit: number, now = new Date()) {
  const rows = await exec
    .select({
      id: notificationOutbox.id,
      chatId: notificationOutbox.chatId,
      taskId: notificationOutbox.taskId,
      event: notificationOutbox.event,
    })
    .from(notificationOutbox)
    .where(and(eq(notificationOutbox.chatId, chatId), due(now)))
    .orderBy(asc(notificationOutbox.id))
    .limit(limit);
  return rows as OutboxEntry[];
}

export async function settleNotifications(
  exec: Executor,
  ids: readonly number[],
  outcome: OutboxOutcome,
): Promise<void> {
  if (ids.length === 0) return;
  await exec
    .update(notificationOutbox)
    .set({ settledAt: sql`now()`, outcome })
    .where(and(inArray(notificationOutbox.id, [...ids]), isNull(notificationOutbox.settledAt)));
}

/** Chats that have something due by `now`. */
export async function chatsWithPendingNotifications(exec: Db, now = new Date()): Promise<number[]> {
  const rows = await exec
    .selectDistinct({ chatId: notificationOutbox.chatId })
    .from(notificationOutbox)
    .where(due(now));
  return rows.map((r) => r.chatId);
}

/** Forgets settled entries, and pending ones of a chat that has been silent for that long. */
export async function purgeNotifications(exec: Executor, olderThan: Date): Promise<void> {
  await exec.delete(notificationOutbox).where(lt(notificationOutbox.createdAt, olderThan));
}

export async function markChatUnreachable(exec: Executor, chatId: number, reason: string): Promise<void> {
  await exec
    .insert(unreachableChats)
    .values({ chatId, reason })
    .onConflictDoUpdate({ target: unreachableChats.chatId, set: { reason } });
}

/** Whether the chat was marked unreachable (and now is not). */
export async function clearChatUnreachable(exec: Executor, chatId: number): Promise<boolean> {
  const rows = await exec
    .delete(unreachableChats)
    .where(eq(unreachableChats.chatId, chatId))
    .returning({ chatId: unreachableChats.chatId });
  return rows.length > 0;
}

export async function listUnreachableChats(exec: Executor) {
  return exec.select().from(unreachableChats).orderBy(asc(unreachableChats.since));
}

/** How much waits in the outbox, and for how long the oldest entry has (metrics). */
export async function outboxBacklog(exec: Db): Promise<{ pending: number; oldestSeconds: number }> {
  const [row] = await exec
    .select({
      pending: sql<number>`count(*)::int`,
      oldestSeconds: sql<number>`coalesce(extract(epoch from now() - min(${notificationOutbox.createdAt})), 0)::float8`,
    })
    .from(notificationOutbox)
    .where(due(new Date())); // entries held for quiet hours wait on purpose: no lag
  return { pending: row?.pending ?? 0, oldestSeconds: row?.oldestSeconds ?? 0 };
}
