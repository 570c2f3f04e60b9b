// Setting an account's tags (`/account_set alice tags=a,b`, `tags=none`): validated, written and
// audited in one transaction.
import { recordAudit } from '../../db/audit-repo.ts';
import type { Executor } from '../../db/client.ts';
import { findFleetAccounts, storeAccountTags } from '../../db/fleet-repo.ts';
import { parseTags, type TagsReason } from './tags.ts';

export type SetTagsResult =
  | { ok: true; accountId: number; tags: string[]; before: string[] }
  | { ok: false; problem: TagsReason | 'unknownAccount' };

export async function setAccountTags(
  db: Executor,
  input: { username: string; tags: string; actorId: number | null },
): Promise<SetTagsResult> {
  const parsed = parseTags(input.tags);
  if (!parsed.ok) return { ok: false, problem: parsed.reason };
  return db.transaction(async (tx) => {
    const [account] = await findFleetAccounts(tx, [input.username], { lock: true });
    if (!account) return { ok: false, problem: 'unknownAccount' } as const;
    await storeAccountTags(tx, account.id, parsed.tags);
    await recordAudit(tx, {
      actorId: input.actorId,
      action: 'account.tags',
      details: { accountId: account.id, tags: parsed.tags, before: account.tags },
    });
    return { ok: true, accountId: account.id, tags: parsed.tags, before: account.tags } as const;
  });
}
