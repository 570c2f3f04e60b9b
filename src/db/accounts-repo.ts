// Account rows: the TikTok usernames, their proxy, encrypted saved login and health. Lookups by name
// and lists see live accounts only (an account removed by an admin keeps its row for its runs).
import { and, asc, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import { proxyColumns } from './account-proxy.ts';
import type { Executor } from './client.ts';
import { type AccountRow, accounts, runs } from './schema.ts';

const live = isNull(accounts.removedAt);

/** `secretsKey` seals the proxy; without it a proxy with credentials throws ProxyKeyMissingError. */
export async function insertAccount(
  exec: Executor,
  account: {
    username: string;
    proxyUrl?: string | null;
    createdBy?: number | null;
    identity?: unknown;
    /** The site profile's name; null or absent: the deployment's default. */
    platform?: string | null;
  },
  options: { secretsKey?: Buffer } = {},
) {
  const [row] = await exec
    .insert(accounts)
    .values({
      username: account.username,
      ...proxyColumns(account.proxyUrl ?? null, options.secretsKey),
      createdBy: account.createdBy ?? null,
      identity: account.identity ?? null,
      platform: account.platform ?? null,
    })
    .onConflictDoNothing()
    .returning();
  return row;
}

/**
 * Each run of a task with its account's name, health and quarantine, by name: what a restart
 * warning shows and what "restart the healthy ones" leaves out.
 */
export async function taskRunAccounts(exec: Executor, taskId: number) {
  return exec
    .select({
      runId: runs.id,
      status: runs.status,
      username: accounts.username,
      health: accounts.health,
      quarantinedAt: accounts.quarantinedAt,
      quarantineReason: accounts.quarantineReason,
      removedAt: accounts.removedAt,
    })
    .from(runs)
    .innerJoin(accounts, eq(accounts.id, runs.accountId))
    .where(eq(runs.taskId, taskId))
    .orderBy(asc(accounts.username), asc(runs.id));
}

/** Every live account without its saved login (which can be large): whether one is attached suffices. */
export async function listAccountSummaries(exec: Executor) {
  return exec
    .select({
      id: accounts.id,
      username: accounts.username,
      proxyHost: accounts.proxyHost,
      health: accounts.health,
      lastWarmedAt: accounts.lastWarmedAt,
      identity: accounts.identity,
      browser: accounts.browser,
      browserProfile: accounts.browserProfile,
      hasLogin: sql<boolean>`${accounts.loginEncrypted} is not null`,
      tags: accounts.tags,
      platform: accounts.platform,
    })
    .from(accounts)
    .where(live)
    .orderBy(asc(accounts.username));
}

/** The live accounts of these names (any case). */
export async function findAccountsByUsernames(exec: Executor, usernames: readonly string[]) {
  if (usernames.length === 0) return [];
  const lower = usernames.map((u) => u.toLowerCase());
  return exec
    .select()
    .from(accounts)
    .where(and(live, inArray(sql`lower(${accounts.username})`, lower)));
}

/** Every stored identity but the given account's: what a new or changed identity must differ from. */
export async function listOtherIdentities(exec: Executor, exceptAccountId?: number): Promise<unknown[]> {
  const rows = await exec
    .select({ id: accounts.id, identity: accounts.identity })
    .from(accounts)
    .where(sql`${accounts.identity} is not null`);
  return rows.filter((r) => r.id !== exceptAccountId).map((r) => r.identity);
}

export async function setAccountIdentity(exec: Executor, accountId: number, identity: unknown) {
  await exec.update(accounts).set({ identity, updatedAt: sql`now()` }).where(eq(accounts.id, accountId));
}

export async function setAccountBrowser(
  exec: Executor,
  accountId: number,
  choice: { browser: 'local' | 'cdp'; browserProfile: unknown },
) {
  await exec
    .update(accounts)
    .set({ browser: choice.browser, browserProfile: choice.browserProfile, updatedAt: sql`now()` })
    .where(eq(accounts.id, accountId));
}

/** The site profile the account warms on, by name; null: the deployment's default. */
export async function setAccountPlatform(exec: Executor, accountId: number, platform: string | null) {
  await exec.update(accounts).set({ platform, updatedAt: sql`now()` }).where(eq(accounts.id, accountId));
}

/** The account of this id, removed or not (a run of it is still worked on, and shown). */
export async function findAccount(exec: Executor, id: number) {
  const [row] = await exec.select().from(accounts).where(eq(accounts.id, id));
  return row;
}

/** The account of this id unless it was removed (a button on an old message names it). */
export async function findLiveAccount(exec: Executor, id: number) {
  const [row] = await exec
    .select()
    .from(accounts)
    .where(and(eq(accounts.id, id), live));
  return row;
}

export type AccountRunResult = {
  health?: Exclude<AccountRow['health'], 'unknown'>;
  healthMessage?: string | null;
  /**
   * The saved login the run ends with, kept only if the account still has `loginBefore` (the one
   * the run began with): a /login uploaded meanwhile is newer and stays (compare-and-set).
   */
  login?: { encrypted: Buffer; before: Buffer | null };
  warmed?: boolean;
};

/** Writes a run's result to its account; false when the run's login was not saved (a newer one is there). */
export async function recordAccountRunResult(
  exec: Executor,
  accountId: number,
  result: AccountRunResult,
): Promise<boolean> {
  const set: Record<string, unknown> = { updatedAt: sql`now()` };
  if (result.health) {
    set.health = result.health;
    set.healthMessage = result.healthMessage ?? null;
    set.healthUpdatedAt = sql`now()`;
  }
  if (result.warmed) set.lastWarmedAt = sql`now()`;
  await exec.update(accounts).set(set).where(eq(accounts.id, accountId));
  if (!result.login) return true;
  const { encrypted, before } = result.login;
  const saved = await exec
    .update(accounts)
    .set({ loginEncrypted: encrypted, loginUpdatedAt: sql`now()` })
    .where(
      and(
        eq(accounts.id, accountId),
        before === null ? isNull(accounts.loginEncrypted) : eq(accounts.loginEncrypted, before),
      ),
    )
    .returning({ id: accounts.id });
  return saved.length > 0;
}

/** A health verdict alone (a run that is no longer the account's current one still saw it). */
export async function recordAccountHealth(
  exec: Executor,
  accountId: number,
  health: Exclude<AccountRow['health'], 'unknown'>,
  message: string | null,
): Promise<void> {
  await exec
    .update(accounts)
    .set({ health, healthMessage: message, healthUpdatedAt: sql`now()`, updatedAt: sql`now()` })
    .where(eq(accounts.id, accountId));
}

/**
 * Stores an uploaded saved login. An account that was logged out may work again with it, so
 * its health goes back to unknown; captcha and blocks are not cured by a new login.
 */
export async function attachLogin(exec: Executor, accountId: number, loginEncrypted: Buffer) {
  await exec
    .update(accounts)
    .set({
      loginEncrypted,
      loginUpdatedAt: sql`now()`,
      updatedAt: sql`now()`,
      health: sql`case when ${accounts.health} = 'logged_out' then 'unknown' else ${accounts.health} end`,
      healthMessage: sql`case when ${accounts.health} = 'logged_out' then null else ${accounts.healthMessage} end`,
    })
    .where(eq(accounts.id, accountId));
}

/** Every saved login, locked until the transaction ends (for re-encryption under a new key). */
export async function lockSavedLogins(tx: Executor) {
  return tx
    .select({ id: accounts.id, username: accounts.username, loginEncrypted: accounts.loginEncrypted })
    .from(accounts)
    .where(isNotNull(accounts.loginEncrypted))
    .orderBy(asc(accounts.id))
    .for('update');
}

/** The same login under another key: neither its age nor the account's health changes. */
export async function replaceLoginBlob(tx: Executor, accountId: number, loginEncrypted: Buffer) {
  await tx.update(accounts).set({ loginEncrypted }).where(eq(accounts.id, accountId));
}
