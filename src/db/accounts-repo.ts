// Account rows: the TikTok usernames, their proxy, encrypted session and health.
import { asc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Executor } from './client.ts';
import { accounts } from './schema.ts';

export async function insertAccount(
  exec: Executor,
  account: { username: string; proxyUrl?: string | null; createdBy?: number | null },
) {
  const [row] = await exec
    .insert(accounts)
    .values({
      username: account.username,
      proxyUrl: account.proxyUrl ?? null,
      createdBy: account.createdBy ?? null,
    })
    .onConflictDoNothing()
    .returning();
  return row;
}

export async function listAccounts(exec: Executor) {
  return exec.select().from(accounts).orderBy(asc(accounts.username));
}

/** Every account without its session blob (which can be large): whether one is attached suffices. */
export async function listAccountSummaries(exec: Executor) {
  return exec
    .select({
      id: accounts.id,
      username: accounts.username,
      proxyUrl: accounts.proxyUrl,
      health: accounts.health,
      lastWarmedAt: accounts.lastWarmedAt,
      hasSession: sql<boolean>`${accounts.sessionEncrypted} is not null`,
    })
    .from(accounts)
    .orderBy(asc(accounts.username));
}

export async function findAccountsByUsernames(exec: Executor, usernames: readonly string[]) {
  if (usernames.length === 0) return [];
  const lower = usernames.map((u) => u.toLowerCase());
  return exec
    .select()
    .from(accounts)
    .where(inArray(sql`lower(${accounts.username})`, lower));
}

export async function findAccount(exec: Executor, id: number) {
  const [row] = await exec.select().from(accounts).where(eq(accounts.id, id));
  return row;
}

export type AccountRunResult = {
  health?: 'ok' | 'logged_out' | 'captcha' | 'blocked' | 'proxy_error';
  healthMessage?: string | null;
  sessionEncrypted?: Buffer;
  warmed?: boolean;
};

export async function recordAccountRunResult(exec: Executor, accountId: number, result: AccountRunResult) {
  const set: Record<string, unknown> = { updatedAt: sql`now()` };
  if (result.health) {
    set.health = result.health;
    set.healthMessage = result.healthMessage ?? null;
    set.healthUpdatedAt = sql`now()`;
  }
  if (result.sessionEncrypted) {
    set.sessionEncrypted = result.sessionEncrypted;
    set.sessionUpdatedAt = sql`now()`;
  }
  if (result.warmed) set.lastWarmedAt = sql`now()`;
  await exec.update(accounts).set(set).where(eq(accounts.id, accountId));
}

/**
 * Stores an uploaded login session. An account that was logged out may work again with it, so
 * its health goes back to unknown; captcha and blocks are not cured by a new session.
 */
export async function attachSession(exec: Executor, accountId: number, sessionEncrypted: Buffer) {
  await exec
    .update(accounts)
    .set({
      sessionEncrypted,
      sessionUpdatedAt: sql`now()`,
      updatedAt: sql`now()`,
      health: sql`case when ${accounts.health} = 'logged_out' then 'unknown' else ${accounts.health} end`,
      healthMessage: sql`case when ${accounts.health} = 'logged_out' then null else ${accounts.healthMessage} end`,
    })
    .where(eq(accounts.id, accountId));
}

/** Every saved session, locked until the transaction ends (for re-encryption under a new key). */
export async function lockSavedSessions(tx: Executor) {
  return tx
    .select({ id: accounts.id, username: accounts.username, sessionEncrypted: accounts.sessionEncrypted })
    .from(accounts)
    .where(isNotNull(accounts.sessionEncrypted))
    .orderBy(asc(accounts.id))
    .for('update');
}

/** The same session under another key: neither its age nor the account's health changes. */
export async function replaceSessionBlob(tx: Executor, accountId: number, sessionEncrypted: Buffer) {
  await tx.update(accounts).set({ sessionEncrypted }).where(eq(accounts.id, accountId));
}
