// Key rotation for every secret at rest: saved logins and proxies are opened with the old key and
// sealed with the new one in one transaction, or — when any of them does not open with the old key —
// nothing changes at all and the accounts at fault are named. Stored updates of the bot's inbox move
// too; one that does not open with the old key (sealed by a process without a key) is left as it is.
import { lockSealedProxies, replaceProxyBlob } from '../db/account-proxy.ts';
import { lockSavedLogins, replaceLoginBlob } from '../db/accounts-repo.ts';
import type { Db, Executor } from '../db/client.ts';
import { openSecret, opensWith, sealSecret } from '../db/secret-box.ts';
import { lockSealedUpdates, replaceUpdateBlob } from '../db/updates-repo.ts';

export type RekeyResult =
  | { ok: true; rekeyed: number; proxies: number; updates: number }
  /** Every saved login and proxy already opens with the new key: a rotation that ran before. */
  | { ok: false; problem: 'alreadyNewKey'; logins: number; proxies: number }
  | { ok: false; problem: 'unreadable'; usernames: string[]; proxyUsernames: string[] }
  | { ok: false; problem: 'sameKey' };

type Sealed = { id: number; username: string; blob: Buffer };
type Opened = { id: number; value: unknown };

export async function rekeySecrets(db: Db, oldKey: Buffer, newKey: Buffer): Promise<RekeyResult> {
  if (oldKey.equals(newKey)) return { ok: false, problem: 'sameKey' };
  return db.transaction(async (tx) => {
    const logins = (await lockSavedLogins(tx)).map((r) => ({ ...r, blob: r.loginEncrypted! }));
    const proxies = (await lockSealedProxies(tx)).map((r) => ({ ...r, blob: r.proxyEncrypted! }));
    const login = openAll(logins, oldKey);
    const proxy = openAll(proxies, oldKey);
    if (login.unreadable.length > 0 || proxy.unreadable.length > 0) {
      const all = [...logins, ...proxies];
      const none = login.opened.length === 0 && proxy.opened.length === 0;
      if (none && all.every(({ blob }) => opensWith(newKey, blob)))
        return { ok: false, problem: 'alreadyNewKey', logins: logins.length, proxies: proxies.length };
      return {
        ok: false,
        problem: 'unreadable',
        usernames: login.unreadable.map((u) => u.username),
        proxyUsernames: proxy.unreadable.map((u) => u.username),
      };
    }
    for (const { id, value } of login.opened) await replaceLoginBlob(tx, id, sealSecret(newKey, value));
    for (const { id, value } of proxy.opened) await replaceProxyBlob(tx, id, sealSecret(newKey, value));
    const updates = await rekeyInbox(tx, oldKey, newKey);
    return { ok: true, rekeyed: login.opened.length, proxies: proxy.opened.length, updates };
  });
}

function openAll(rows: readonly Sealed[], key: Buffer): { opened: Opened[]; unreadable: Sealed[] } {
  const opened: Opened[] = [];
  const unreadable: Sealed[] = [];
  for (const row of rows) {
    try {
      opened.push({ id: row.id, value: openSecret(key, row.blob) });
    } catch {
      unreadable.push(row);
    }
  }
  return { opened, unreadable };
}

/** Updates waiting in the inbox (handled ones keep no content); returns how many moved. */
async function rekeyInbox(tx: Executor, oldKey: Buffer, newKey: Buffer): Promise<number> {
  let moved = 0;
  for (const row of await lockSealedUpdates(tx)) {
    let update: unknown;
    try {
      update = openSecret(oldKey, row.payloadEncrypted!);
    } catch {
      continue;
    }
    await replaceUpdateBlob(tx, row.botId, row.updateId, sealSecret(newKey, update));
    moved++;
  }
  return moved;
}
