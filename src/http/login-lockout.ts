// Brute force made slow: failed logins are counted per client address, and an address that failed
// too often is locked out for a while, correct password or not. In memory, per process; the clock
// is an argument so tests drive it.

export type LockoutOptions = {
  /** Failed logins allowed within `windowMs`; the next attempt is refused. */
  maxFailures?: number;
  windowMs?: number;
  lockMs?: number;
  now?: () => number;
};

export type LoginLockout = {
  /** Milliseconds the address stays locked out, or 0 when it may try. */
  lockedFor(address: string): number;
  failed(address: string): void;
  succeeded(address: string): void;
};

type Entry = { failures: number; since: number; lockedUntil: number };

// Enough for any real set of admins; beyond it the oldest entries go, so a flood of addresses
// cannot grow the map without bound.
const MAX_TRACKED = 10_000;

export function createLoginLockout(options: LockoutOptions = {}): LoginLockout {
  const maxFailures = options.maxFailures ?? 10;
  const windowMs = options.windowMs ?? 15 * 60_000;
  const lockMs = options.lockMs ?? 15 * 60_000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();

  const current = (address: string): Entry | undefined => {
    const entry = entries.get(address);
    if (!entry) return undefined;
    const t = now();
    if (entry.lockedUntil <= t && t - entry.since >= windowMs) {
      entries.delete(address);
      return undefined;
    }
    return entry;
  };

  return {
    lockedFor(address) {
      const entry = current(address);
      return entry ? Math.max(0, entry.lockedUntil - now()) : 0;
    },
    failed(address) {
      const t = now();
      const entry = current(address) ?? { failures: 0, since: t, lockedUntil: 0 };
      entry.failures += 1;
      if (entry.failures >= maxFailures) {
        entry.lockedUntil = t + lockMs;
        // After the lock the count starts again: ten more tries, then another lock.
        entry.failures = 0;
        entry.since = t + lockMs;
      }
      entries.delete(address);
      entries.set(address, entry);
      if (entries.size > MAX_TRACKED) entries.delete(entries.keys().next().value!);
    },
    succeeded(address) {
      entries.delete(address);
    },
  };
}
