// The fleet's SQL: live accounts (not removed) by name, by group and by page; bulk inserts and
// updates of an import; the one writer of an account's proxy. Removed accounts are in no answer here.
import { and, asc, eq, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import { openProxy, proxyColumns } from './account-proxy.ts';
import type { Executor } from './client.ts';
import { accounts } from './schema.ts';
import type { HealthState } from './vocabulary.ts';

const live = isNull(accounts.removedAt);
const lowerName = sql<string>`lower(${accounts.username})`;

/** `array[$1, $2, …]::text[]` (drizzle would write a JS array as a parenthesised list). */
function textArray(values: readonly string[]): SQL {
  return sql`array[${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )}]::text[]`;
}

export type FleetAccount = {
  id: number;
  username: string;
  /** The proxy URL, opened with the secrets key; undefined: sealed, and no key (or another) to open it. */
  proxyUrl: string | null | undefined;
  /** host:port, for display. */
  proxyHost: string | null;
  tags: string[];
  platform: string | null;
};

/**
 * The live accounts of these names (any case), locked for update when asked (an import's apply);
 * their proxy opened with `secretsKey` when given.
 */
export async function findFleetAccounts(
  exec: Executor,
  usernames: readonly string[],
  options: { lock?: boolean; secretsKey?: Buffer } = {},
): Promise<FleetAccount[]> {
  if (usernames.length === 0) return [];
  const query = exec
    .select({
      id: accounts.id,
      username: accounts.username,
      proxyEncrypted: accounts.proxyEncrypted,
      proxyUrl: accounts.proxyUrl,
      proxyHost: accounts.proxyHost,
      tags: accounts.tags,
      platform: accounts.platform,
    })
    .from(accounts)
    .where(
      and(
        live,
        inArray(
          lowerName,
          usernames.map((u) => u.toLowerCase()),
        ),
      ),
    )
    .orderBy(asc(accounts.id));
  const rows = await (options.lock ? query.for('update') : query);
  return rows.map(({ proxyEncrypted, proxyUrl, ...row }) => ({
    ...row,
    proxyUrl: readableProxy({ proxyEncrypted, proxyUrl }, options.secretsKey),
  }));
}

function readableProxy(
  row: { proxyEncrypted: Buffer | null; proxyUrl: string | null },
  key: Buffer | undefined,
): string | null | undefined {
  try {
    return openProxy(row, key);
  } catch {
    return undefined;
  }
}

export type NewFleetAccount = {
  username: string;
  tags: readonly string[];
  platform: string | null;
  identity: unknown;
  createdBy: number | null;
};

/** Inserts in batches; a name that is live already (a race since it was read) is left out of the answer. */
export async function insertFleetAccounts(exec: Executor, rows: readonly NewFleetAccount[]) {
  const inserted: { id: number; username: string }[] = [];
  for (let i = 0; i < rows.length; i += 1000) {
    const batch = rows.slice(i, i + 1000).map((r) => ({ ...r, tags: [...r.tags] }));
    inserted.push(
      ...(await exec
        .insert(accounts)
        .values(batch)
        .onConflictDoNothing()
        .returning({ id: accounts.id, username: accounts.username })),
    );
  }
  return inserted;
}

/**
 * The one place an account's proxy is written (null: none): sealed with the secrets key, its
 * host:port kept for display (db/account-proxy.ts). Without a key, a proxy with credentials throws
 * ProxyKeyMissingError before anything is written.
 */
export async function storeAccountProxies(
  exec: Executor,
  changes: readonly { accountId: number; proxyUrl: string | null }[],
  options: { secretsKey?: Buffer } = {},
): Promise<void> {
  if (changes.length === 0) return;
  const rows = JSON.stringify(
    changes.map((c) => {
      const columns = proxyColumns(c.proxyUrl, options.secretsKey);
      return {
        id: c.accountId,
        sealed: columns.proxyEncrypted?.toString('base64') ?? null,
        host: columns.proxyHost,
        url: columns.proxyUrl,
      };
    }),
  );
  await exec.execute(sql`
    update ${accounts}
    set proxy_encrypted = decode(u.sealed, 'base64'), proxy_host = u.host, proxy_url = u.url, updated_at = now()
    from jsonb_to_recordset(${rows}::jsonb) as u(id integer, sealed text, host text, url text)
    where ${accounts.id} = u.id`);
}

/** Tags and platform of many accounts at once; a field left undefined is kept. */
export async function updateFleetFields(
  exec: Executor,
  changes: readonly { accountId: number; tags?: readonly string[]; platform?: string | null }[],
): Promise<void> {
  if (changes.length === 0) return;
  const rows = JSON.stringify(
    changes.map((c) => ({
      id: c.accountId,
      tags: c.tags ?? null,
      set_platform: c.platform !== undefined,
      platform: c.platform ?? null,
    })),
  );
  await exec.execute(sql`
    update ${accounts} set
      tags = case when u.tags is null then ${accounts.tags}
                  else array(select jsonb_array_elements_text(u.tags)) end,
      platform = case when u.set_platform then u.platform else ${accounts.platform} end,
      updated_at = now()
    from jsonb_to_recordset(${rows}::jsonb) as u(id integer, tags jsonb, set_platform boolean, platform text)
    where ${accounts.id} = u.id`);
}

export async function storeAccountTags(exec: Executor, accountId: number, tags: readonly string[]) {
  await exec
    .update(accounts)
    .set({ tags: [...tags], updatedAt: sql`now()` })
    .where(and(eq(accounts.id, accountId), live));
}

/** Marks a live account removed; undefined when it is not live (removed meanwhile). */
export async function markAccountRemoved(exec: Executor, accountId: number, actorId: number | null) {
  const [row] = await exec
    .update(accounts)
    .set({ removedAt: sql`now()`, removedBy: actorId, updatedAt: sql`now()` })
    .where(and(eq(accounts.id, accountId), live))
    .returning({ id: accounts.id, username: accounts.username });
  return row;
}

export type FleetFilter = { health?: HealthState; tag?: string };

function filterWhere(filter: FleetFilter): SQL {
  return and(
    live,
    filter.health === undefined ? undefined : eq(accounts.health, filter.health),
    filter.tag === undefined ? undefined : sql`${accounts.tags} @> ${textArray([filter.tag])}`,
  )!;
}

/** One page of live accounts by name, without the saved login (whether there is one suffices). */
export async function listFleetPage(exec: Executor, filter: FleetFilter, limit: number, offset: number) {
  return exec
    .select({
      id: accounts.id,
      username: accounts.username,
      platform: accounts.platform,
      tags: accounts.tags,
      health: accounts.health,
      proxyHost: accounts.proxyHost,
      hasLogin: sql<boolean>`${accounts.loginEncrypted} is not null`,
      lastWarmedAt: accounts.lastWarmedAt,
      quarantinedAt: accounts.quarantinedAt,
      quarantineReason: accounts.quarantineReason,
      identity: accounts.identity,
      browser: accounts.browser,
      browserProfile: accounts.browserProfile,
    })
    .from(accounts)
    .where(filterWhere(filter))
    .orderBy(lowerName, asc(accounts.id))
    .limit(limit)
    .offset(offset);
}

/** How many live accounts have each health, within a tag when given. */
export async function countFleetByHealth(exec: Executor, filter: { tag?: string }) {
  return exec
    .select({ health: accounts.health, n: sql<number>`count(*)::int` })
    .from(accounts)
    .where(filterWhere({ tag: filter.tag }))
    .groupBy(accounts.health);
}

/** Every tag live accounts carry, with how many carry it, by name. */
export async function listFleetTags(exec: Executor): Promise<{ tag: string; n: number }[]> {
  const rows = await exec.execute<{ tag: string; n: number }>(sql`
    select tag, count(*)::int as n from ${accounts}, unnest(${accounts.tags}) as tag
    where ${accounts.removedAt} is null group by tag order by tag`);
  return [...rows];
}

export type FleetGroupQuery = {
  all: boolean;
  tags: readonly string[];
  platforms: readonly string[];
  /** An account without a platform counts as this one. */
  defaultPlatform?: string;
};

/** Live accounts in any of the groups, with their health, by name. */
export async function findFleetGroupMembers(exec: Executor, query: FleetGroupQuery) {
  const groups: SQL[] = [];
  if (query.tags.length > 0) groups.push(sql`${accounts.tags} && ${textArray(query.tags)}`);
  if (query.platforms.length > 0) {
    const platform = sql`coalesce(${accounts.platform}, ${query.defaultPlatform ?? null})`;
    groups.push(sql`${platform} = any(${textArray(query.platforms)})`);
  }
  if (!query.all && groups.length === 0) return [];
  return exec
    .select({ id: accounts.id, username: accounts.username, health: accounts.health })
    .from(accounts)
    .where(query.all ? live : and(live, sql`(${sql.join(groups, sql` or `)})`))
    .orderBy(lowerName, asc(accounts.id));
}

/** Which of these tags some live account carries. */
export async function findTagsInUse(exec: Executor, tags: readonly string[]): Promise<string[]> {
  if (tags.length === 0) return [];
  const rows = await exec.execute<{ tag: string }>(sql`
    select distinct tag from ${accounts}, unnest(${accounts.tags}) as tag
    where ${accounts.removedAt} is null and ${accounts.tags} && ${textArray(tags)} and tag = any(${textArray(tags)})`);
  return rows.map((r) => r.tag);
}

/** What an export holds of each live account, by name. */
export async function listFleetForExport(exec: Executor) {
  return exec
    .select({
      username: accounts.username,
      platform: accounts.platform,
      health: accounts.health,
      tags: accounts.tags,
      proxyHost: accounts.proxyHost,
      hasLogin: sql<boolean>`${accounts.loginEncrypted} is not null`,
      quarantinedAt: accounts.quarantinedAt,
      lastWarmedAt: accounts.lastWarmedAt,
      identity: accounts.identity,
      browser: accounts.browser,
      browserProfile: accounts.browserProfile,
    })
    .from(accounts)
    .where(live)
    .orderBy(lowerName, asc(accounts.id));
}
