// Lifting an account's quarantine (a Resume button, /account_resume, a new /login): one
// conditional update, audited; a second Resume finds nothing to lift and says so.
import { findLiveAccount } from '../db/accounts-repo.ts';
import { recordAudit } from '../db/audit-repo.ts';
import type { Db, Executor } from '../db/client.ts';
import { type ClearedQuarantine, clearQuarantine } from '../db/quarantine-repo.ts';

export type ResumeVia = 'button' | 'command' | 'login';

export type ResumeResult =
  | { ok: true; account: ClearedQuarantine }
  | { ok: false; reason: 'missing' }
  | { ok: false; reason: 'not_paused'; username: string };

/** Inside the caller's transaction (the /login upload's): lifts and audits, or does nothing. */
export async function liftQuarantine(
  tx: Executor,
  input: { accountId: number; actorId: number | null; via: ResumeVia },
): Promise<ClearedQuarantine | undefined> {
  const cleared = await clearQuarantine(tx, input.accountId);
  if (cleared) {
    await recordAudit(tx, {
      actorId: input.actorId,
      action: 'account.resume',
      details: { accountId: cleared.id, username: cleared.username, via: input.via },
    });
  }
  return cleared;
}

export async function resumeAccount(
  db: Db,
  input: { accountId: number; actorId: number | null; via: ResumeVia },
): Promise<ResumeResult> {
  return db.transaction(async (tx) => {
    const cleared = await liftQuarantine(tx, input);
    if (cleared) return { ok: true, account: cleared };
    const account = await findLiveAccount(tx, input.accountId);
    return account
      ? { ok: false, reason: 'not_paused', username: account.username }
      : { ok: false, reason: 'missing' };
  });
}
