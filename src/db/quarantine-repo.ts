// An account's quarantine: set by the run end that met a captcha, a block or a logout (once: only
// while none is set), cleared by a person. Which run ends quarantined an account, for the notice.
import { and, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Executor } from './client.ts';
import { accounts, runs } from './schema.ts';

/**
 * Quarantines the account unless it already is; true when this call did it. `quarantined_at`
 * is the transaction's now(), the same instant the run's completed_at gets, which is how the
 * notice later recognises the run end that did it (run rows are reused across restarts).
 */
export async function quarantineAccount(
  tx: Executor,
  accountId: number,
  reason: string,
  runId: number,
): Promise<boolean> {
  const rows = await tx
    .update(accounts)
    .set({
      quarantinedAt: sql`now()`,
      quarantineReason: reason,
      quarantineRunId: runId,
      updatedAt: sql`now()`,
    })
    .where(and(eq(accounts.id, accountId), isNull(accounts.quarantinedAt)))
    .returning({ id: accounts.id });
  return rows.length > 0;
}

export type ClearedQuarantine = { id: number; username: string };

/** Lifts the quarantine; undefined when the account is not quarantined (resumed already, or never) or removed. */
export async function clearQuarantine(
  exec: Executor,
  accountId: number,
): Promise<ClearedQuarantine | undefined> {
  const [row] = await exec
    .update(accounts)
    .set({ quarantinedAt: null, quarantineReason: null, quarantineRunId: null, updatedAt: sql`now()` })
    .where(and(eq(accounts.id, accountId), isNotNull(accounts.quarantinedAt), isNull(accounts.removedAt)))
    .returning({ id: accounts.id, username: accounts.username });
  return row;
}

export type QuarantineByRun = { runId: number; accountId: number; account: string; reason: string };

/** Of these runs, the ones whose current end quarantined their account (still in quarantine). */
export async function quarantinesByRuns(
  exec: Executor,
  runIds: readonly number[],
): Promise<QuarantineByRun[]> {
  if (runIds.length === 0) return [];
  const rows = await exec
    .select({
      runId: runs.id,
      accountId: accounts.id,
      account: accounts.username,
      reason: accounts.quarantineReason,
    })
    .from(runs)
    .innerJoin(accounts, eq(accounts.quarantineRunId, runs.id))
    .where(
      and(
        inArray(runs.id, [...runIds]),
        eq(runs.status, 'failed'),
        eq(accounts.quarantinedAt, runs.completedAt),
      ),
    )
    .orderBy(runs.id);
  return rows.map((r) => ({ ...r, reason: r.reason ?? 'other' }));
}
