// The bot's intake: updates are stored in the inbox (the database), then handled with bounded
// concurrency — different chats at once, one chat's updates one after another in update order —
// and each is marked handled once its handler (or bot.catch) has finished. Long polling and the
// webhook both feed it; neither waits for a handler. The lanes themselves are in chat-lanes.ts.
import { Context, type Telegram } from 'telegraf';
import type { Update, UserFromGetMe } from 'telegraf/types';
import type { Db } from '../../db/client.ts';
import { markUpdatesHandled, storeUpdates, unhandledUpdates } from '../../db/updates-repo.ts';
import type { Logger } from '../../logger.ts';
import { createChatLanes } from './chat-lanes.ts';

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
  const marks = createHandledMarks(db, botId, log);
  const lanes = createChatLanes({
    concurrency,
    keyOf: (update) => chatKey(bot, update),
    async handle(update) {
      try {
        await bot.handleUpdate(update);
      } catch (err) {
        // bot.catch itself failed: the update is still done — a poison update must not come back.
        log.error({ err, updateId: update.update_id }, 'update failed, and so did its error handler');
      }
      marks.mark(update.update_id);
    },
  });

  return {
    async accept(updates) {
      const fresh = await storeUpdates(db, botId, updates);
      if (!lanes.stopped) for (const update of fresh) lanes.enqueue(update);
    },
    async recover() {
      const left = (await unhandledUpdates(db, botId)) as Update[];
      for (const update of left) lanes.enqueue(update);
      if (left.length > 0)
        log.info({ updates: left.length }, 'handling updates a previous run stored but did not finish');
      return left.length;
    },
    pending: () => lanes.pending(),
    room: (limit) => lanes.room(limit),
    async stop(graceMs) {
      lanes.stop();
      if (lanes.inFlight().length > 0) {
        let timer: NodeJS.Timeout | undefined;
        const grace = new Promise<void>((resolve) => {
          timer = setTimeout(resolve, graceMs);
        });
        await Promise.race([Promise.allSettled(lanes.inFlight()), grace]);
        clearTimeout(timer);
      }
      await marks.flushed();
      const left = lanes.inFlight().length;
      if (left > 0) {
        log.warn(
          { updates: left },
          'updates still being handled after the grace period; the next start handles them again',
        );
      }
      return left;
    },
  };
}

/**
 * Handled ids are written together, one UPDATE at a time: a round trip less per update under
 * load. An id not yet written when the process dies is handled again at the next start.
 */
function createHandledMarks(db: Db, botId: number, log: Logger) {
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
    mark(updateId: number) {
      toMark.push(updateId);
      flushing ??= flush().finally(() => {
        flushing = undefined;
      });
    },
    /** Resolves once the ids marked so far are written (or failed to be). */
    async flushed() {
      await flushing;
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
