// Account leases (rule 11: one browser per account is our guarantee, not the queue's). A lease is
// granted only when the account has none or it has expired; the holder extends it while its
// browser context is open and gives it up after the context closed. Every grant bumps the token.
import { and, eq, gt, sql } from 'drizzle-orm';
import type { Executor } from './client.ts';
import { accountLeases } from './schema.ts';

/** runId is null for a check, which holds the account's browser without being a run. */
export type LeaseHolder = { accountId: number; runId: number | null; holder: string };
export type Lease = { accountId: number; token: number };

const expiry = (seconds: number) => sql`now() + make_interval(secs => ${seconds})`;

/** The lease when the account is free (no lease, or an expired one); undefined while it is held. */
export async function acquireLease(
  exec: Executor,
  who: LeaseHolder,
  ttlSeconds: number,
): Promise<Lease | undefined> {
  const [row] = await exec
    .insert(accountLeases)
    .values({
      accountId: who.accountId,
      token: 1,
      runId: who.runId,
      holder: who.holder,
      expiresAt: expiry(ttlSeconds),
    })
    .onConflictDoUpdate({
      target: accountLeases.accountId,
      set: {
        token: sql`${accountLeases.token} + 1`,
        runId: who.runId,
        holder: who.holder,
        expiresAt: expiry(ttlSeconds),
      },
      setWhere: sql`${accountLeases.expiresAt} <= now()`,
    })
    .returning({ accountId: accountLeases.accountId, token: accountLeases.token });
  return row;
}

/** Extends a lease still held under this token; false when it expired or was granted again. */
export async function extendLease(exec: Executor, lease: Lease, ttlSeconds: number): Promise<boolean> {
  const rows = await exec
    .update(accountLeases)
    .set({ expiresAt: expiry(ttlSeconds) })
    .where(
      and(
        eq(accountLeases.accountId, lease.accountId),
        eq(accountLeases.token, lease.token),
        gt(accountLeases.expiresAt, sql`now()`),
      ),
    )
    .returning({ token: accountLeases.token });
  return rows.length > 0;
}

export async function releaseLease(exec: Executor, lease: Lease): Promise<void> {
  await exec
    .update(accountLeases)
    .set({ expiresAt: sql`now()`, runId: null, holder: null })
    .where(and(eq(accountLeases.accountId, lease.accountId), eq(accountLeases.token, lease.token)));
}

/** Whether a live (unexpired) lease is held for this run: its session is still in a browser. */
export async function runHoldsLease(exec: Executor, runId: number): Promise<boolean> {
  const rows = await exec
    .select({ token: accountLeases.token })
    .from(accountLeases)
    .where(and(eq(accountLeases.runId, runId), gt(accountLeases.expiresAt, sql`now()`)));
  return rows.length > 0;
}

/** Accounts whose lease is live now (another session has them in a browser). */
export async function liveLeaseAccounts(exec: Executor): Promise<Set<number>> {
  const rows = await exec
    .select({ accountId: accountLeases.accountId })
    .from(accountLeases)
    .where(gt(accountLeases.expiresAt, sql`now()`));
  return new Set(rows.map((r) => r.accountId));
}
