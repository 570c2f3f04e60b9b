// The bot's inbox of Telegram updates (bot_updates): store a batch keeping only the ones never seen,
// mark one handled, read back the unhandled ones after a restart, forget handled ones after a day.
import { and, asc, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { Executor } from './client.ts';
import { botUpdates } from './schema.ts';

export type StoredUpdate = { update_id: number };

/** Inserts the updates; returns those that were not stored before (a redelivery is dropped). */
export async function storeUpdates<U extends StoredUpdate>(
  exec: Executor,
  botId: number,
  updates: readonly U[],
): Promise<U[]> {
  if (updates.length === 0) return [];
  const rows = await exec
    .insert(botUpdates)
    .values(updates.map((u) => ({ botId, updateId: u.update_id, payload: u })))
    .onConflictDoNothing()
    .returning({ updateId: botUpdates.updateId });
  const fresh = new Set(rows.map((r) => r.updateId));
  return updates.filter((u) => fresh.has(u.update_id));
}

export async function markUpdatesHandled(
  exec: Executor,
  botId: number,
  updateIds: readonly number[],
): Promise<void> {
  if (updateIds.length === 0) return;
  await exec
    .update(botUpdates)
    .set({ handledAt: sql`now()` })
    .where(and(eq(botUpdates.botId, botId), inArray(botUpdates.updateId, [...updateIds])));
}

/** Updates stored but never handled (the process stopped or crashed first), oldest first. */
export async function unhandledUpdates(exec: Executor, botId: number): Promise<StoredUpdate[]> {
  const rows = await exec
    .select({ payload: botUpdates.payload })
    .from(botUpdates)
    .where(and(eq(botUpdates.botId, botId), isNull(botUpdates.handledAt)))
    .orderBy(asc(botUpdates.updateId));
  return rows.map((r) => r.payload as StoredUpdate);
}

/** Handled rows only guard against a redelivery, which Telegram stops after about a day. */
export async function forgetHandledUpdates(exec: Executor, olderThanMs: number): Promise<number> {
  const rows = await exec
    .delete(botUpdates)
    .where(lt(botUpdates.handledAt, sql`now() - make_interval(secs => ${olderThanMs / 1000})`))
    .returning({ updateId: botUpdates.updateId });
  return rows.length;
}
