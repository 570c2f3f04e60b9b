// Waiting on the fake's state without polling: every change (a call answered, a long poll held, an
// update pushed) re-runs the pending predicates; a timeout names what was awaited and the last calls.
// Predicates are synchronous: a Promise is truthy, so an async one would pass at its first look.
import { checkSynchronous } from '../sync-predicate.ts';

export type WaitOptions = { timeout?: number; description?: string };
export type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>;
/** waitFor's options; a predicate returning a Promise makes the call a type error too. */
export type WaitArgs<T> =
  T extends PromiseLike<unknown> ? [synchronousPredicatesOnly: never] : [WaitOptions?];

type Waiter = { check(): void; fail(error: Error): void };

export function createWaiters(describeRecent: () => string) {
  const waiters = new Set<Waiter>();

  return {
    changed(): void {
      for (const waiter of [...waiters]) waiter.check();
    },

    /**
     * Resolves with the predicate's first truthy value; a throwing predicate rejects, and so does one
     * that returns a Promise (wait on the database with vi.waitFor instead).
     */
    waitFor<T>(predicate: () => T, ...[options]: WaitArgs<T>): Promise<Truthy<T>> {
      const { timeout = 10_000, description } = (options ?? {}) as WaitOptions;
      return new Promise((resolve, reject) => {
        const done = (settle: () => void) => {
          clearTimeout(timer);
          waiters.delete(waiter);
          settle();
        };
        const waiter: Waiter = {
          check() {
            try {
              const value = checkSynchronous(
                predicate(),
                'fake Bot API waitFor',
                description ?? 'a condition',
              );
              if (value) done(() => resolve(value as Truthy<T>));
            } catch (error) {
              done(() => reject(error));
            }
          },
          fail: (error) => done(() => reject(error)),
        };
        const timer = setTimeout(() => {
          const what = description ?? 'condition';
          waiter.fail(
            new Error(`fake Bot API: ${what} not met within ${timeout} ms; last calls:\n${describeRecent()}`),
          );
        }, timeout);
        waiters.add(waiter);
        waiter.check();
      });
    },

    failAll(error: Error): void {
      for (const waiter of [...waiters]) waiter.fail(error);
    },
  };
}
