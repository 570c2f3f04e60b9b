// An account's proxy at rest: the URL sealed under the secrets key (proxy_encrypted) and its
// host:port in clear for display (proxy_host). Every writer goes through proxyColumns, every reader
// of the URL through openProxy. Without a key, a proxy carrying credentials is refused; one without
// any is kept in proxy_url (not a secret). Rows from before sealing are sealed at startup.
import { asc, eq, isNotNull } from 'drizzle-orm';
import type { Db, Executor } from './client.ts';
import { accounts } from './schema.ts';
import { openSecret, sealSecret } from './secret-box.ts';

/** A proxy with a user name or password, and no SESSION_ENCRYPTION_KEY to seal it with. */
export class ProxyKeyMissingError extends Error {
  override name = 'ProxyKeyMissingError';
  constructor() {
    super('a proxy with credentials is stored only encrypted, and SESSION_ENCRYPTION_KEY is not set');
  }
}

export type ProxyColumns = {
  proxyEncrypted: Buffer | null;
  proxyHost: string | null;
  proxyUrl: string | null;
};

/** The columns that store `url` (null: no proxy). Throws ProxyKeyMissingError. */
export function proxyColumns(url: string | null, key: Buffer | undefined): ProxyColumns {
  if (url === null) return { proxyEncrypted: null, proxyHost: null, proxyUrl: null };
  const host = proxyHostOfUrl(url);
  if (key) return { proxyEncrypted: sealSecret(key, url), proxyHost: host, proxyUrl: null };
  if (hasUserInfo(url)) throw new ProxyKeyMissingError();
  return { proxyEncrypted: null, proxyHost: host, proxyUrl: url };
}

/**
 * The proxy URL a browser is given (null: none). Throws, saying why, when it is sealed and `key` is
 * missing or another.
 */
export function openProxy(
  row: { proxyEncrypted: Buffer | null; proxyUrl: string | null },
  key: Buffer | undefined,
): string | null {
  if (!row.proxyEncrypted) return row.proxyUrl;
  if (!key) throw new Error('SESSION_ENCRYPTION_KEY is not set, so the proxy cannot be read');
  let url: unknown;
  try {
    url = openSecret(key, row.proxyEncrypted);
  } catch (cause) {
    throw new Error('the proxy cannot be decrypted with this SESSION_ENCRYPTION_KEY', { cause });
  }
  if (typeof url !== 'string') throw new Error('the stored proxy is not a URL');
  return url;
}

/** scheme://[user[:pass]@]host:port[/] → host:port, lower-cased; the credentials never leave. */
export function proxyHostOfUrl(url: string): string {
  const rest = url.slice(url.indexOf('://') + 3);
  return rest
    .slice(rest.lastIndexOf('@') + 1)
    .replace(/\/.*$/, '')
    .toLowerCase();
}

function hasUserInfo(url: string): boolean {
  return url.slice(url.indexOf('://') + 3).includes('@');
}

/**
 * Startup, idempotent: with a key, every proxy still in proxy_url is sealed and proxy_url emptied;
 * without one, only proxy_host is filled in. Returns how many were sealed, and how many stay in
 * clear with credentials (no key to seal them).
 */
export async function sealClearProxies(
  db: Db,
  key: Buffer | undefined,
): Promise<{ sealed: number; clearWithCredentials: number }> {
  return db.transaction(async (tx) => {
    // Locked: two processes starting together seal each row once (the second sees proxy_url null).
    const rows = await tx
      .select({ id: accounts.id, url: accounts.proxyUrl, host: accounts.proxyHost })
      .from(accounts)
      .where(isNotNull(accounts.proxyUrl))
      .orderBy(asc(accounts.id))
      .for('update');
    let clearWithCredentials = 0;
    for (const row of rows) {
      const url = row.url!;
      if (!key && hasUserInfo(url)) clearWithCredentials++;
      if (!key && row.host !== null) continue;
      const columns = key
        ? { proxyEncrypted: sealSecret(key, url), proxyHost: proxyHostOfUrl(url), proxyUrl: null }
        : { proxyHost: proxyHostOfUrl(url) };
      await tx.update(accounts).set(columns).where(eq(accounts.id, row.id));
    }
    return { sealed: key ? rows.length : 0, clearWithCredentials };
  });
}

/** Every sealed proxy, locked until the transaction ends (for re-encryption under a new key). */
export async function lockSealedProxies(tx: Executor) {
  return tx
    .select({ id: accounts.id, username: accounts.username, proxyEncrypted: accounts.proxyEncrypted })
    .from(accounts)
    .where(isNotNull(accounts.proxyEncrypted))
    .orderBy(asc(accounts.id))
    .for('update');
}

/** The same proxy under another key. */
export async function replaceProxyBlob(tx: Executor, accountId: number, proxyEncrypted: Buffer) {
  await tx.update(accounts).set({ proxyEncrypted }).where(eq(accounts.id, accountId));
}
