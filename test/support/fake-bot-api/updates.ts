// The update queue behind getUpdates: ids ascending from a random start, confirmed by `offset`,
// filtered by the last `allowed_updates`, and long polls held until an update arrives, the timeout passes, the client
// goes away or the fake closes. A second poll ends the first with 409, as Telegram does.
import { ApiError, type Params } from './types.ts';

export type Update = { update_id: number } & Params;
export type UpdateQueue = ReturnType<typeof createUpdateQueue>;

type HeldPoll = { offer(): void; end(result: Update[] | ApiError): void };

export function createUpdateQueue() {
  // Telegram starts a bot's update ids at a random number; so does the fake, so that fakes started
  // one after another in a test file never hand the same id to one inbox.
  let nextId = 1 + Math.floor(Math.random() * 2 ** 30);
  let pending: Update[] = [];
  let allowed: string[] = [];
  let held: HeldPoll | undefined;
  let closed = false;
  let last: Update | undefined;
  const delivered = new Map<number, number>();
  const stamp = (updates: Update[]): Update[] => {
    const now = performance.now();
    for (const update of updates) if (!delivered.has(update.update_id)) delivered.set(update.update_id, now);
    return updates;
  };

  function select(limit: number): Update[] {
    if (allowed.length > 0) pending = pending.filter((update) => allowed.some((type) => type in update));
    return pending.slice(0, limit);
  }

  let batching = 0;

  function poll(params: Params, signal: AbortSignal): Update[] | Promise<Update[]> {
    if (typeof params.offset === 'number' && params.offset > 0) {
      const offset = params.offset;
      pending = pending.filter((update) => update.update_id >= offset);
    }
    if (Array.isArray(params.allowed_updates)) {
      allowed = params.allowed_updates.filter((type): type is string => typeof type === 'string');
    }
    const limit = Math.min(100, Math.max(1, typeof params.limit === 'number' ? params.limit : 100));
    const timeout = typeof params.timeout === 'number' ? params.timeout : 0;
    held?.end(
      new ApiError(
        409,
        'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
      ),
    );
    const ready = select(limit);
    if (ready.length > 0 || timeout <= 0 || closed) return stamp(ready);
    return new Promise<Update[]>((resolve, reject) => {
      const poll: HeldPoll = {
        offer() {
          const updates = select(limit);
          if (updates.length > 0) poll.end(updates);
        },
        end(result) {
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
          if (held === poll) held = undefined;
          if (result instanceof ApiError) reject(result);
          else resolve(stamp(result));
        },
      };
      const onAbort = () => poll.end([]);
      const timer = setTimeout(() => poll.end(select(limit)), timeout * 1000);
      signal.addEventListener('abort', onAbort, { once: true });
      held = poll;
    });
  }

  return {
    poll,
    push(update: Params): Update {
      const full: Update = { update_id: nextId++, ...update };
      last = full;
      pending.push(full);
      if (batching === 0) held?.offer();
      return full;
    },
    /** Updates pushed inside `act` reach the bot in one getUpdates answer (handled concurrently). */
    inOneBatch<T>(act: () => T): T {
      batching++;
      try {
        return act();
      } finally {
        batching--;
        if (batching === 0) held?.offer();
      }
    },
    pendingCount: (): number => pending.length,
    lastPushed: (): Update | undefined => last,
    deliveredAt: (updateId: number): number | undefined => delivered.get(updateId),
    dropPending(): void {
      pending = [];
    },
    /** Answers a held poll with no updates and answers every later poll at once. */
    close(): void {
      closed = true;
      held?.end([]);
    },
  };
}
