// Account leases against a real database: one holder at a time, a token that grows with every
// grant, extension only by the holder, release, and an expired lease of a dead holder freeing
// the account. Expiry is the database's clock; the test waits on state, never on a sleep.
import { describe, expect, it, vi } from 'vitest';
import { acquireLease, extendLease, releaseLease, runHoldsLease } from '../../src/db/leases-repo.ts';
import { useTestDatabase } from '../support/db.ts';
import { makeTask } from '../support/fixtures.ts';

const database = useTestDatabase();

async function accountWithRuns(n: number) {
  const { runs } = await makeTask(database().db, Array(n).fill('pending'));
  // All runs on the first run's account, as if several tasks shared it.
  return { accountId: runs[0]!.accountId, runIds: runs.map((r) => r.id) };
}

describe('account leases', () => {
  it('one holder at a time; release frees it and the next grant has a larger token', async () => {
    const { db } = database();
    const { accountId, runIds } = await accountWithRuns(2);
    const first = await acquireLease(db, { accountId, runId: runIds[0]!, holder: 'a:0' }, 30);
    expect(first).toEqual({ accountId, token: 1 });
    expect(await acquireLease(db, { accountId, runId: runIds[1]!, holder: 'b:0' }, 30)).toBeUndefined();
    expect(await runHoldsLease(db, runIds[0]!)).toBe(true);
    expect(await extendLease(db, first!, 30)).toBe(true);
    await releaseLease(db, first!);
    expect(await runHoldsLease(db, runIds[0]!)).toBe(false);
    expect(await extendLease(db, first!, 30)).toBe(false);
    const second = await acquireLease(db, { accountId, runId: runIds[1]!, holder: 'b:0' }, 30);
    expect(second?.token).toBe(2);
    // A stale holder cannot release what is now someone else's.
    await releaseLease(db, first!);
    expect(await runHoldsLease(db, runIds[1]!)).toBe(true);
  });

  it('a holder that stops extending (a dead worker) loses the account once the lease expires', async () => {
    const { db } = database();
    const { accountId, runIds } = await accountWithRuns(2);
    const dead = await acquireLease(db, { accountId, runId: runIds[0]!, holder: 'dead:0' }, 1);
    expect(dead).toBeDefined();
    const next = await vi.waitFor(
      async () => {
        const lease = await acquireLease(db, { accountId, runId: runIds[1]!, holder: 'next:0' }, 30);
        if (!lease) throw new Error('still held');
        return lease;
      },
      { timeout: 10_000, interval: 100 },
    );
    expect(next.token).toBe(dead!.token + 1);
    // The dead holder, were it to wake up, can no longer extend it.
    expect(await extendLease(db, dead!, 30)).toBe(false);
  });
});
