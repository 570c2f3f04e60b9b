// A parsed bulk import against the fleet: what it would change (the preview writes nothing) and the
// change itself, in one transaction planned again from the rows as they are then (an account added
// or edited since the preview is still treated right). New accounts each get their own identity.
import { recordAudit } from '../../db/audit-repo.ts';
import type { Db, Executor } from '../../db/client.ts';
import {
  type FleetAccount,
  findFleetAccounts,
  insertFleetAccounts,
  storeAccountProxies,
  updateFleetFields,
} from '../../db/fleet-repo.ts';
import { generateIdentity, identityKey } from '../../warmup/identity.ts';
import { createRandom, type Random } from '../../warmup/random.ts';
import { takenIdentityKeys } from '../account-identity.ts';
import type { BadLine, ImportRow, ParsedImport } from './import-file.ts';
import { isSameProxy, type ParsedProxy } from './proxy.ts';
import { sameTags } from './tags.ts';

export type ChangedAccount = {
  row: ImportRow;
  account: FleetAccount;
  proxy: boolean;
  tags: boolean;
  platform: boolean;
};
export type ImportPlan = { added: ImportRow[]; changed: ChangedAccount[]; unchanged: ImportRow[] };

/** Which rows add an account, change one (and which of its fields), or change nothing. Pure. */
export function planImport(rows: readonly ImportRow[], existing: readonly FleetAccount[]): ImportPlan {
  const byName = new Map(existing.map((a) => [a.username.toLowerCase(), a]));
  const plan: ImportPlan = { added: [], changed: [], unchanged: [] };
  for (const row of rows) {
    const account = byName.get(row.username.toLowerCase());
    if (!account) {
      plan.added.push(row);
      continue;
    }
    const change = {
      row,
      account,
      proxy: row.proxy !== undefined && !isStoredProxy(account, row.proxy),
      tags: row.tags !== undefined && !sameTags(account.tags, row.tags),
      platform: row.platform !== undefined && account.platform !== row.platform,
    };
    if (change.proxy || change.tags || change.platform) plan.changed.push(change);
    else plan.unchanged.push(row);
  }
  return plan;
}

/** Whether the account already has this proxy (or none, for null); a proxy sealed under a key we lack counts as another. */
function isStoredProxy(account: FleetAccount, next: ParsedProxy | null): boolean {
  if (account.proxyUrl === undefined) return false;
  return isSameProxy(account.proxyUrl, next);
}

export type ImportPreview = {
  added: number;
  changed: number;
  unchanged: number;
  /** Of the changed accounts, how many change each field. */
  changes: { proxy: number; tags: number; platform: number };
  /** The usernames, in file order (the caller shows as many as fit). */
  names: { added: string[]; changed: string[] };
  bad: BadLine[];
};

/** `secretsKey` opens the stored proxies, to tell a changed one from the same; without it every proxy given counts as a change. */
export async function previewImport(
  db: Executor,
  parsed: ParsedImport,
  options: { secretsKey?: Buffer } = {},
): Promise<ImportPreview> {
  const existing = await findFleetAccounts(
    db,
    parsed.rows.map((r) => r.username),
    { secretsKey: options.secretsKey },
  );
  const plan = planImport(parsed.rows, existing);
  return {
    added: plan.added.length,
    changed: plan.changed.length,
    unchanged: plan.unchanged.length,
    changes: {
      proxy: plan.changed.filter((c) => c.proxy).length,
      tags: plan.changed.filter((c) => c.tags).length,
      platform: plan.changed.filter((c) => c.platform).length,
    },
    names: { added: plan.added.map((r) => r.username), changed: plan.changed.map((c) => c.row.username) },
    bad: parsed.bad,
  };
}

export type ImportResult = { added: number; changed: number; unchanged: number; bad: number };

/**
 * Writes the import in one transaction with one audit line (counts only: no name, no proxy).
 * `secretsKey` opens the stored proxies and seals the new ones; without it a proxy with credentials
 * throws ProxyKeyMissingError (db/account-proxy.ts) and nothing is written.
 */
export async function applyImport(
  db: Db,
  parsed: ParsedImport,
  actorId: number | null,
  options: { secretsKey?: Buffer; random?: Random } = {},
): Promise<ImportResult> {
  const random = options.random ?? createRandom();
  return db.transaction(async (tx) => {
    const names = parsed.rows.map((r) => r.username);
    const { secretsKey } = options;
    const plan = planImport(parsed.rows, await findFleetAccounts(tx, names, { lock: true, secretsKey }));
    const inserted = await insertNew(tx, plan.added, actorId, random);
    // A name added by someone else since it was read: the row changes that account instead.
    const raced = plan.added.filter((r) => !inserted.has(r.username.toLowerCase()));
    if (raced.length > 0) {
      const again = planImport(
        raced,
        await findFleetAccounts(
          tx,
          raced.map((r) => r.username),
          { lock: true, secretsKey },
        ),
      );
      plan.changed.push(...again.changed);
      plan.unchanged.push(...again.unchanged);
      plan.added = plan.added.filter((r) => inserted.has(r.username.toLowerCase()));
    }
    const proxies = [
      ...plan.added.flatMap((r) =>
        r.proxy ? [{ accountId: inserted.get(r.username.toLowerCase())!, proxyUrl: r.proxy.url }] : [],
      ),
      ...plan.changed
        .filter((c) => c.proxy)
        .map((c) => ({ accountId: c.account.id, proxyUrl: c.row.proxy?.url ?? null })),
    ];
    await storeAccountProxies(tx, proxies, { secretsKey });
    await updateFleetFields(
      tx,
      plan.changed
        .filter((c) => c.tags || c.platform)
        .map((c) => ({
          accountId: c.account.id,
          ...(c.tags ? { tags: c.row.tags } : {}),
          ...(c.platform ? { platform: c.row.platform } : {}),
        })),
    );
    const result = {
      added: plan.added.length,
      changed: plan.changed.length,
      unchanged: plan.unchanged.length,
      bad: parsed.bad.length,
    };
    await recordAudit(tx, { actorId, action: 'account.import', details: result });
    return result;
  });
}

/** Inserts the new accounts, each with an identity unlike every other (taken read once). */
async function insertNew(
  tx: Executor,
  rows: readonly ImportRow[],
  actorId: number | null,
  random: Random,
): Promise<Map<string, number>> {
  if (rows.length === 0) return new Map();
  const taken = await takenIdentityKeys(tx);
  const values = rows.map((row) => {
    const identity = generateIdentity(random, { taken });
    taken.add(identityKey(identity));
    return {
      username: row.username,
      tags: row.tags ?? [],
      platform: row.platform ?? null,
      identity,
      createdBy: actorId,
    };
  });
  const inserted = await insertFleetAccounts(tx, values);
  return new Map(inserted.map((r) => [r.username.toLowerCase(), r.id]));
}
