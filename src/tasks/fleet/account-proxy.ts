// Setting an account's proxy (`/account_set alice proxy=<url|host:port:user:pass|none>`): read by
// proxy.ts, written through storeAccountProxies (the one proxy writer) and audited with its host
// only, in one transaction. The next session goes through it; one running now keeps its own.
import { recordAudit } from '../../db/audit-repo.ts';
import type { Executor } from '../../db/client.ts';
import { findFleetAccounts, storeAccountProxies } from '../../db/fleet-repo.ts';
import { type ProxyReason, parseProxy } from './proxy.ts';

/** Written alone, it takes the proxy off. */
export const NO_PROXY = 'none';

export type SetProxyResult =
  | { ok: true; username: string; host: string | null; before: string | null }
  | { ok: false; problem: 'unknownAccount' }
  | { ok: false; problem: 'badProxy'; reason: ProxyReason };

export async function setAccountProxy(
  db: Executor,
  input: { username: string; proxy: string; actorId: number | null; secretsKey?: Buffer },
): Promise<SetProxyResult> {
  let next: { url: string; host: string } | null = null;
  if (input.proxy.trim().toLowerCase() !== NO_PROXY) {
    const parsed = parseProxy(input.proxy);
    if (!parsed.ok) return { ok: false, problem: 'badProxy', reason: parsed.reason };
    next = parsed.proxy;
  }
  return db.transaction(async (tx) => {
    const [account] = await findFleetAccounts(tx, [input.username], { lock: true });
    if (!account) return { ok: false, problem: 'unknownAccount' } as const;
    // The host is kept in clear beside the sealed URL: no key is needed to say what it was.
    const before = account.proxyHost;
    await storeAccountProxies(tx, [{ accountId: account.id, proxyUrl: next?.url ?? null }], {
      secretsKey: input.secretsKey,
    });
    await recordAudit(tx, {
      actorId: input.actorId,
      action: 'account.proxy',
      details: { accountId: account.id, proxyHost: next?.host ?? null, before },
    });
    return { ok: true, username: account.username, host: next?.host ?? null, before } as const;
  });
}
