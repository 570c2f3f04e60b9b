// The waits in test/support re-check a predicate whenever their state changes; such a predicate must
// answer at once. One that returns a Promise is always truthy, so the wait would end at its first
// look and never time out: every wait refuses it here, naming what it waited for.
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/** Returns the predicate's value; throws when it is a Promise (which is left to settle unobserved). */
export function checkSynchronous<T>(value: T, waiter: string, what: string): T {
  if (!isThenable(value)) return value;
  value.then(undefined, () => {});
  throw new TypeError(
    `${waiter}: the predicate for ${what} returned a Promise; it must be synchronous (a Promise is ` +
      'truthy, so the wait would end at once): read the state synchronously, or wait on the database with vi.waitFor',
  );
}
