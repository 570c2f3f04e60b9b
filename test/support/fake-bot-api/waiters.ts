// Waiting on the fake's state without polling: every change (a call answered, a long poll held, an
// update pushed) re-runs the pending predicates; a timeout names what was awaited and the last calls.
export type WaitOptions = { timeout?: number; description?: string };
export type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>;

type Waiter = { check(): void; fail(error: Error): void };

export function createWaiters(describeRecent: () => string) {
  const waiters = new Set<Waiter>();

  return {
    changed(): void {
      for (const waiter of [...waiters]) waiter.check();
    },

    /** Resolves with the predicate's first truthy value; a throwing predicate rejects. */
    waitFor<T>(predicate: () => T, { timeout = 10_000, description }: WaitOptions = {}): Promise<Truthy<T>> {
      return new Promise((resolve, reject) => {
        const done = (settle: () => void) => {
          clearTimeout(timer);
          waiters.delete(waiter);
          settle();
        };
        const waiter: Waiter = {
          check() {
            try {
              const value = predicate();
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
