// What a question with buttons remembers between the question and the tap, in this process's
// memory for a while: buttons carry 64 bytes at most, so a parsed file or a long selection stays
// here under a short key. An entry expires `ttlMs` after it was put (never extended); after a
// restart every key is unknown, and the tap is answered as stale.

export type ExpiringStore<T> = {
  /** `at`: when the entry's life began (default now), e.g. when the question was asked. */
  put(key: string, value: T, at?: number): void;
  /** The live entry, or undefined once expired or taken. */
  get(key: string): T | undefined;
  /** Removes the entry and returns it when it was live: a second take of the same key finds nothing. */
  take(key: string): T | undefined;
  size(): number;
};

export function createExpiringStore<T>(options: { ttlMs: number; now?: () => number }): ExpiringStore<T> {
  const now = options.now ?? Date.now;
  const entries = new Map<string, { value: T; expiresAt: number }>();
  const prune = () => {
    const at = now();
    for (const [key, entry] of entries) if (entry.expiresAt <= at) entries.delete(key);
  };
  const get = (key: string) => {
    const entry = entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt > now()) return entry.value;
    entries.delete(key);
    return undefined;
  };
  return {
    put(key, value, at = now()) {
      prune();
      entries.set(key, { value, expiresAt: at + options.ttlMs });
    },
    get,
    take(key) {
      const value = get(key);
      entries.delete(key);
      return value;
    },
    size() {
      prune();
      return entries.size;
    },
  };
}
