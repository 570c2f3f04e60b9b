// Key rotation for saved sessions: every session is decrypted with the old key and encrypted with
// the new one in one transaction, or — when any session does not decrypt with the old key —
// nothing changes at all and the accounts at fault are named.
import { lockSavedSessions, replaceSessionBlob } from '../db/accounts-repo.ts';
import type { Db } from '../db/client.ts';
import { decryptSession, encryptSession } from './session-cipher.ts';

export type RekeyResult =
  | { ok: true; rekeyed: number }
  /** Every session already decrypts with the new key: a rotation that ran before. */
  | { ok: false; problem: 'alreadyNewKey'; sessions: number }
  | { ok: false; problem: 'unreadable'; usernames: string[] }
  | { ok: false; problem: 'sameKey' };

export async function rekeySessions(db: Db, oldKey: Buffer, newKey: Buffer): Promise<RekeyResult> {
  if (oldKey.equals(newKey)) return { ok: false, problem: 'sameKey' };
  return db.transaction(async (tx) => {
    const rows = await lockSavedSessions(tx);
    const states: { id: number; state: unknown }[] = [];
    const unreadable: { username: string; blob: Buffer }[] = [];
    for (const row of rows) {
      const blob = row.sessionEncrypted!;
      try {
        states.push({ id: row.id, state: decryptSession(oldKey, blob) });
      } catch {
        unreadable.push({ username: row.username, blob });
      }
    }
    if (unreadable.length > 0) {
      if (states.length === 0 && unreadable.every(({ blob }) => decrypts(newKey, blob)))
        return { ok: false, problem: 'alreadyNewKey', sessions: rows.length };
      return { ok: false, problem: 'unreadable', usernames: unreadable.map((u) => u.username) };
    }
    for (const { id, state } of states) await replaceSessionBlob(tx, id, encryptSession(newKey, state));
    return { ok: true, rekeyed: states.length };
  });
}

function decrypts(key: Buffer, blob: Buffer): boolean {
  try {
    decryptSession(key, blob);
    return true;
  } catch {
    return false;
  }
}
