// For the use…() helpers that start something before a file's tests and stop it after them: an
// object that stands for the thing while it runs — every property read goes to the current one — so
// a test file writes `const bot = useChatBot(database)` and uses `bot` as it would the real object.

/**
 * Stands for what `current()` returns at the time of each read (methods bound to it). Reading it
 * outside a test or hook throws what `current()` throws. It is no thenable, so it can be returned
 * from async functions.
 */
export function standIn<T extends object>(current: () => T): T {
  return new Proxy({} as T, {
    get(_target, key) {
      if (key === 'then') return undefined;
      const target = current();
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
    has: (_target, key) => key in current(),
    // So that `{ ...standIn }` copies the current one's own properties.
    ownKeys: () => Reflect.ownKeys(current()),
    getOwnPropertyDescriptor(_target, key) {
      const descriptor = Reflect.getOwnPropertyDescriptor(current(), key);
      return descriptor && { ...descriptor, configurable: true };
    },
  });
}

/** The started thing, or an error naming the helper when a test reads it before it started. */
export function started<T>(thing: T | undefined, helper: string): T {
  if (thing === undefined) throw new Error(`${helper}: not started yet (use it inside a test or hook)`);
  return thing;
}
