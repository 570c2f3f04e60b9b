// Saved logins attached to their accounts — one file sent with `/login <name>`, or a ZIP of
// `<username>.json` sent with the caption /login: each one, already read and validated by the bot's
// login-file parser, is encrypted with the secrets key and attached to its live account (locked) —
// health back from logged_out, a quarantine lifted — audited per account, all in one transaction.
// Names without a live account are reported.
import { attachLogin } from '../../db/accounts-repo.ts';
import { recordAudit } from '../../db/audit-repo.ts';
import type { Db } from '../../db/client.ts';
import { findFleetAccounts } from '../../db/fleet-repo.ts';
import { sealLogin } from '../login-cipher.ts';
import { liftQuarantine } from '../quarantine.ts';

export type LoginEntry = {
  username: string;
  /** A Playwright storage state ({ cookies, origins }), already validated. */
  state: unknown;
  cookies: number;
  origins: number;
};

export type AttachedLogins = {
  attached: { username: string; resumed: boolean }[];
  /** Names (as given) no live account has. */
  unknown: string[];
};

export async function attachLogins(
  db: Db,
  key: Buffer,
  input: { entries: readonly LoginEntry[]; actorId: number | null; via: 'file' | 'zip' },
): Promise<AttachedLogins> {
  return db.transaction(async (tx) => {
    const found = await findFleetAccounts(
      tx,
      input.entries.map((e) => e.username),
      { lock: true },
    );
    const byName = new Map(found.map((a) => [a.username.toLowerCase(), a]));
    const result: AttachedLogins = { attached: [], unknown: [] };
    for (const entry of input.entries) {
      const account = byName.get(entry.username.toLowerCase());
      if (!account) {
        result.unknown.push(entry.username);
        continue;
      }
      await attachLogin(tx, account.id, sealLogin(key, entry.state));
      await recordAudit(tx, {
        actorId: input.actorId,
        action: 'account.login',
        details: {
          accountId: account.id,
          username: account.username,
          cookies: entry.cookies,
          origins: entry.origins,
          via: input.via,
        },
      });
      // A new login is a person having looked at the account: it resumes a paused one.
      const resumed = await liftQuarantine(tx, {
        accountId: account.id,
        actorId: input.actorId,
        via: 'login',
      });
      result.attached.push({ username: account.username, resumed: resumed !== undefined });
    }
    return result;
  });
}
