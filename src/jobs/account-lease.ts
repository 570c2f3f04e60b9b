// The worker's side of an account lease: wait for the account to be free, keep the lease alive
// while the browser context is open, stop the session when it can no longer prove the lease is
// its own, and give it up after the context has closed.
import { setTimeout as delay } from 'node:timers/promises';
import type { Db } from '../db/client.ts';
import { acquireLease, extendLease, type Lease, type LeaseHolder, releaseLease } from '../db/leases-repo.ts';
import type { Logger } from '../logger.ts';

export type LeaseTimings = {
  /**
   * How long a lease lives without being extended. A worker that dies (SIGKILL, power loss) frees
   * its accounts this long after its last extension — about pg-boss's own heartbeat window.
   */
  ttlSeconds: number;
  /** How often a holder extends it; a few extensions fit in one ttl, so one lost query is harmless. */
  refreshMs: number;
  /** How often a waiting session asks again while another session holds the account. */
  pollMs: number;
  /** How long a session waits for a busy account before its job goes back to the queue. */
  waitMs: number;
};

export const DEFAULT_LEASE_TIMINGS: LeaseTimings = {
  ttlSeconds: 30,
  refreshMs: 5000,
  pollMs: 500,
  waitMs: 60_000,
};

export type HeldLease = {
  lease: Lease;
  /** Aborted once the lease can no longer be proven ours: the session must stop now. */
  lost: AbortSignal;
  release(): Promise<void>;
};

/**
 * Takes the account's lease, asking again every pollMs while another session holds it. Resolves
 * undefined when waitMs passed or the signal fired first.
 */
export async function waitForLease(
  db: Db,
  who: LeaseHolder,
  timings: LeaseTimings,
  signal: AbortSignal,
  log: Logger,
): Promise<HeldLease | undefined> {
  const giveUpAt = Date.now() + timings.waitMs;
  let waited = false;
  while (!signal.aborted) {
    const askedAt = performance.now();
    const lease = await acquireLease(db, who, timings.ttlSeconds).catch((err) => {
      log.warn({ err, accountId: who.accountId }, 'could not ask for the account lease');
      return undefined;
    });
    if (lease) {
      if (waited) log.info({ accountId: who.accountId }, 'account lease taken after waiting');
      return hold(db, lease, timings, askedAt, log);
    }
    if (Date.now() >= giveUpAt) return undefined;
    if (!waited)
      log.info({ accountId: who.accountId }, 'account held by another session; waiting for its lease');
    waited = true;
    await delay(timings.pollMs, undefined, { signal }).catch(() => {});
  }
  return undefined;
}

function hold(db: Db, lease: Lease, timings: LeaseTimings, askedAt: number, log: Logger): HeldLease {
  const lost = new AbortController();
  // The lease expires ttl after the database granted it, which was after askedAt: stopping at
  // half the ttl after the last successful ask leaves the other half for the context to close.
  let provenAt = askedAt;
  const graceMs = (timings.ttlSeconds * 1000) / 2;
  let stopped = false;
  let extending: Promise<void> = Promise.resolve();
  const extend = async () => {
    const sentAt = performance.now();
    try {
      const extended = await extendLease(db, lease, timings.ttlSeconds);
      // Released meanwhile: the answer says nothing about a lease that is no longer held.
      if (stopped) return;
      if (extended) provenAt = sentAt;
      else lost.abort(new Error('the account lease was lost (it expired and was granted again)'));
    } catch (err) {
      log.warn({ err, accountId: lease.accountId }, 'could not extend the account lease');
    }
    if (!stopped && !lost.signal.aborted && performance.now() - provenAt > graceMs) {
      lost.abort(new Error('the account lease could not be extended in time'));
    }
  };
  const timer = setInterval(() => {
    if (stopped || lost.signal.aborted) return;
    extending = extend();
  }, timings.refreshMs);
  return {
    lease,
    lost: lost.signal,
    async release() {
      stopped = true;
      clearInterval(timer);
      // An extension on its way would otherwise land after the release and hold the account for
      // one more time to live.
      await extending;
      // A lease that cannot be released expires by itself after ttlSeconds.
      await releaseLease(db, lease).catch((err) =>
        log.warn({ err, accountId: lease.accountId }, 'could not release the account lease; it expires'),
      );
    },
  };
}
