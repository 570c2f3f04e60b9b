// The intake's per-chat lanes: each chat's updates wait in update order, one update per chat is
// handled at a time, and at most `concurrency` chats at once, the chat ready longest first.
import type { Update } from 'telegraf/types';

export type ChatLanes = {
  /** Queues an update in its chat's lane, in update order, and starts what may start. */
  enqueue(update: Update): void;
  /** Updates queued or being handled. */
  pending(): number;
  /** The handlers running now. */
  inFlight(): Promise<void>[];
  /** Resolves once fewer than `limit` updates are pending (or the lanes stopped). */
  room(limit: number): Promise<void>;
  /** Starts nothing new from now on. */
  stop(): void;
  readonly stopped: boolean;
};

export function createChatLanes(options: {
  concurrency: number;
  /** The lane an update belongs to. */
  keyOf: (update: Update) => string;
  /** Handles one update; never rejects. */
  handle: (update: Update) => Promise<void>;
}): ChatLanes {
  const { concurrency, keyOf, handle } = options;
  const queues = new Map<string, Update[]>(); // chat → updates not started yet, by update_id
  const ready: string[] = []; // chats with a queued update and none in flight, oldest first
  const busy = new Set<string>();
  const inFlight = new Set<Promise<void>>();
  let queued = 0;
  let stopped = false;
  let changed: (() => void)[] = [];

  const notify = () => {
    const waiting = changed;
    changed = [];
    for (const wake of waiting) wake();
  };

  function enqueue(update: Update) {
    const key = keyOf(update);
    let queue = queues.get(key);
    if (!queue) {
      queue = [];
      queues.set(key, queue);
      if (!busy.has(key)) ready.push(key);
    }
    // A webhook may deliver one chat's updates out of order over parallel connections.
    let at = queue.length;
    while (at > 0 && queue[at - 1]!.update_id > update.update_id) at--;
    queue.splice(at, 0, update);
    queued++;
    pump();
  }

  function pump() {
    while (!stopped && busy.size < concurrency && ready.length > 0) {
      const key = ready.shift()!;
      const queue = queues.get(key)!;
      const update = queue.shift()!;
      if (queue.length === 0) queues.delete(key);
      queued--;
      busy.add(key);
      const job = handle(update).finally(() => {
        inFlight.delete(job);
        busy.delete(key);
        if (queues.has(key)) ready.push(key);
        notify();
        pump();
      });
      inFlight.add(job);
    }
  }

  return {
    enqueue,
    pending: () => queued + inFlight.size,
    inFlight: () => [...inFlight],
    room(limit) {
      if (stopped || queued + inFlight.size < limit) return Promise.resolve();
      return new Promise<void>((resolve) => changed.push(resolve)).then(() => this.room(limit));
    },
    stop() {
      stopped = true;
      notify();
    },
    get stopped() {
      return stopped;
    },
  };
}
