// The bot's inbox of Telegram updates (bot_updates): store a batch sealed (a message may hold a
// password or a saved login's file) keeping only the ones never seen, mark some handled (emptying
// them), read back the unhandled ones after a restart, the date Telegram gave the next update (what
// bounds a tap's age), forget handled ones after a day; at start, seal what an older version kept in clear.
import { and, asc, eq, gt, inArray, isNotNull, isNull, lt, sql } from 'drizzle-orm';
import type { Executor } from './client.ts';
import { botUpdates } from './schema.ts';
import { openSecret, sealSecret } from './secret-box.ts';

export type StoredUpdate = { update_id: number };

/** An update in the inbox: when Telegram says it was sent (null: it does not say), when we stored it. */
export type InboxEntry<U> = { update: U; sentAt: Date | null; receivedAt: Date };

/** Inserts the updates sealed with `key`; returns those not stored before (a redelivery is dropped). */
export async function storeUpdates<U extends StoredUpdate>(
  exec: Executor,
  botId: number,
  entries: readonly { update: U; sentAt: Date | null }[],
  key: Buffer,
): Promise<InboxEntry<U>[]> {
  if (entries.length === 0) return [];
  const rows = await exec
    .insert(botUpdates)
    .values(
      entries.map(({ update, sentAt }) => ({
        botId,
        updateId: update.update_id,
        payloadEncrypted: sealSecret(key, update),
        sentAt,
      })),
    )
    .onConflictDoNothing()
    .returning({ updateId: botUpdates.updateId, receivedAt: botUpdates.receivedAt });
  const fresh = new Map(rows.map((r) => [r.updateId, r.receivedAt]));
  return entries.flatMap(({ update, sentAt }) => {
    const receivedAt = fresh.get(update.update_id);
    return receivedAt ? [{ update, sentAt, receivedAt }] : [];
  });
}

/** Marks updates handled and drops their content: a handled row only stops a redelivery. */
export async function markUpdatesHandled(
  exec: Executor,
  botId: number,
  updateIds: readonly number[],
): Promise<void> {
  if (updateIds.length === 0) return;
  await exec
    .update(botUpdates)
    .set({ handledAt: sql`now()`, payloadEncrypted: null, payload: null })
    .where(and(eq(botUpdates.botId, botId), inArray(botUpdates.updateId, [...updateIds])));
}

/**
 * Updates stored but never handled (the process stopped or crashed first), oldest first. `update`
 * is undefined when the row does not open with `key` (sealed by a process with another key).
 */
export async function unhandledUpdates(
  exec: Executor,
  botId: number,
  key: Buffer,
): Promise<(Omit<InboxEntry<StoredUpdate>, 'update'> & { updateId: number; update?: StoredUpdate })[]> {
  const rows = await exec
    .select({
      updateId: botUpdates.updateId,
      payloadEncrypted: botUpdates.payloadEncrypted,
      payload: botUpdates.payload,
      sentAt: botUpdates.sentAt,
      receivedAt: botUpdates.receivedAt,
    })
    .from(botUpdates)
    .where(and(eq(botUpdates.botId, botId), isNull(botUpdates.handledAt)))
    .orderBy(asc(botUpdates.updateId));
  return rows.map(({ payloadEncrypted, payload, ...row }) => ({
    ...row,
    update: payloadEncrypted
      ? openOrUndefined(key, payloadEncrypted)
      : ((payload as StoredUpdate | null) ?? undefined),
  }));
}

function openOrUndefined(key: Buffer, blob: Buffer): StoredUpdate | undefined {
  try {
    return openSecret(key, blob) as StoredUpdate;
  } catch {
    return undefined;
  }
}

/** Telegram's date of the first update stored after this one that has a date. */
export async function nextSentAt(exec: Executor, botId: number, updateId: number): Promise<Date | undefined> {
  const [row] = await exec
    .select({ sentAt: botUpdates.sentAt })
    .from(botUpdates)
    .where(and(eq(botUpdates.botId, botId), gt(botUpdates.updateId, updateId), isNotNull(botUpdates.sentAt)))
    .orderBy(asc(botUpdates.updateId))
    .limit(1);
  return row?.sentAt ?? undefined;
}

/**
 * Startup, idempotent: rows an older version stored in clear are sealed with `key` (unhandled) or
 * emptied (handled). `dateOf` reads Telegram's date of an update. Returns how many were sealed.
 */
export async function sealClearUpdates(
  exec: Executor,
  botId: number,
  key: Buffer,
  dateOf: (update: StoredUpdate) => Date | null,
): Promise<number> {
  await exec
    .update(botUpdates)
    .set({ payload: null })
    .where(and(isNotNull(botUpdates.handledAt), isNotNull(botUpdates.payload)));
  return exec.transaction(async (tx) => {
    const rows = await tx
      .select({ updateId: botUpdates.updateId, payload: botUpdates.payload })
      .from(botUpdates)
      .where(and(eq(botUpdates.botId, botId), isNull(botUpdates.handledAt), isNotNull(botUpdates.payload)))
      .for('update');
    for (const row of rows) {
      const update = row.payload as StoredUpdate;
      await tx
        .update(botUpdates)
        .set({ payloadEncrypted: sealSecret(key, update), sentAt: dateOf(update), payload: null })
        .where(and(eq(botUpdates.botId, botId), eq(botUpdates.updateId, row.updateId)));
    }
    return rows.length;
  });
}

/** Every sealed update, locked until the transaction ends (for re-encryption under a new key). */
export async function lockSealedUpdates(tx: Executor) {
  return tx
    .select({
      botId: botUpdates.botId,
      updateId: botUpdates.updateId,
      payloadEncrypted: botUpdates.payloadEncrypted,
    })
    .from(botUpdates)
    .where(isNotNull(botUpdates.payloadEncrypted))
    .orderBy(asc(botUpdates.botId), asc(botUpdates.updateId))
    .for('update');
}

export async function replaceUpdateBlob(
  tx: Executor,
  botId: number,
  updateId: number,
  payloadEncrypted: Buffer,
) {
  await tx
    .update(botUpdates)
    .set({ payloadEncrypted })
    .where(and(eq(botUpdates.botId, botId), eq(botUpdates.updateId, updateId)));
}

/** Handled rows only guard against a redelivery, which Telegram stops after about a day. */
export async function forgetHandledUpdates(exec: Executor, olderThanMs: number): Promise<number> {
  const rows = await exec
    .delete(botUpdates)
    .where(lt(botUpdates.handledAt, sql`now() - make_interval(secs => ${olderThanMs / 1000})`))
    .returning({ updateId: botUpdates.updateId });
  return rows.length;
}
