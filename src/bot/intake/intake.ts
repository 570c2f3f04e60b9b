// The bot's intake: updates are stored in the inbox (the database), then handled with bounded
// concurrency — different chats at once, one chat's updates one after another in update order —
// and each is marked handled once its handler (or bot.catch) has finished. Long polling and the
// webhook both feed it; neither waits for a handler.
import { Context, type Telegram } from 'telegraf';
import type { Update, UserFromGetMe } from 'telegraf/types';
import type { Db } from '../../db/client.ts';
import { markUpdatesHandled, storeUpdates, unhandledUpdates } from '../../db/updates-repo.ts';
import type { Logger } from '../../logger.ts';

export type Intake = {
  /** Stores the updates (resolves once they are durable) and queues the ones never seen before. */
  accept(updates: readonly Update[]): Promise<void>;
  /** Queues what a previous process stored and never handled. */
  recover(): Promise<number>;
  /** Updates queued or being handled. */
  pending(): number;
  /** Resolves once fewer than `limit` updates are pending (or the intake stopped). */
  room(limit: number): Promise<void>;
  /** Starts nothing new; waits up to graceMs for the handlers in flight. Returns how many remain. */
  stop(graceMs: number): Promise<number>;
};

/** What the intake needs of a Telegraf instance. */
export type IntakeBot = {
  telegram: Telegram;
  botInfo?: UserFromGetMe;
  handleUpdate(update: Update): Promise<unknown>;
};

export type IntakeOptions = {
  bot: IntakeBot;
  db: Db;
  log: Logger;
  /** Chats handled at the same time. */
  concurrency: number;
};

export function createIntake(options: IntakeOptions): Intake {
  const { bot, db, concurrency } = options;
  const log = options.log.child({ component: 'intake' });
  const botId = Number(bot.telegram.token.split(':')[0]);
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
    const key = chatKey(bot, update);
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

  async function handle(update: Update) {
    try {
      await bot.handleUpdate(update);
    } catch (err) {
      // bot.catch itself failed: the update is still done — a poison update must not come back.
      log.error({ err, updateId: update.update_id }, 'update failed, and so did its error handler');
    }
    toMark.push(update.update_id);
    flushing ??= flush().finally(() => {
      flushing = undefined;
    });
  }

  // Handled ids are written together, one UPDATE at a time: a round trip less per update under
  // load. An id not yet written when the process dies is handled again at the next start.
  const toMark: number[] = [];
  let flushing: Promise<void> | undefined;
  async function flush() {
    while (toMark.length > 0) {
      const ids = toMark.splice(0);
      try {
        await markUpdatesHandled(db, botId, ids);
      } catch (err) {
        log.warn(
          { err, updateIds: ids },
          'could not mark updates handled; a restart would handle them again',
        );
      }
    }
  }

  return {
    async accept(updates) {
      const fresh = await storeUpdates(db, botId, updates);
      if (!stopped) for (const update of fresh) enqueue(update);
    },
    async recover() {
      const left = (await unhandledUpdates(db, botId)) as Update[];
      for (const update of left) enqueue(update);
      if (left.length > 0)
        log.info({ updates: left.length }, 'handling updates a previous run stored but did not finish');
      return left.length;
    },
    pending: () => queued + inFlight.size,
    room(limit) {
      if (stopped || queued + inFlight.size < limit) return Promise.resolve();
      return new Promise<void>((resolve) => changed.push(resolve)).then(() => this.room(limit));
    },
    async stop(graceMs) {
      stopped = true;
      notify();
      if (inFlight.size > 0) {
        let timer: NodeJS.Timeout | undefined;
        const grace = new Promise<void>((resolve) => {
          timer = setTimeout(resolve, graceMs);
        });
        await Promise.race([Promise.allSettled([...inFlight]), grace]);
        clearTimeout(timer);
      }
      await flushing;
      if (inFlight.size > 0) {
        log.warn(
          { updates: inFlight.size },
          'updates still being handled after the grace period; the next start handles them again',
        );
      }
      return inFlight.size;
    },
  };
}

/** Updates of one chat (or, without a chat, of one user) share a lane. */
function chatKey(bot: IntakeBot, update: Update): string {
  const ctx = new Context(update, bot.telegram, bot.botInfo ?? ({} as never));
  const chat = ctx.chat?.id;
  if (chat !== undefined) return `c${chat}`;
  const from = ctx.from?.id;
  return from === undefined ? 'none' : `u${from}`;
}
