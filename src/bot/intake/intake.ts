// The bot's intake: updates are stored in the inbox (the database, sealed), then handled with bounded
// concurrency — different chats at once, one chat's updates one after another in update order —
// and each is marked handled once its handler (or bot.catch) has finished. An update older than the
// age limit is handed to the bot marked outdated: answered, not run. Long polling and the webhook
// both feed it; neither waits for a handler. The lanes are in chat-lanes.ts, the marks in handled-marks.ts.
import { randomBytes } from 'node:crypto';
import { Context, type Telegram } from 'telegraf';
import type { Update, UserFromGetMe } from 'telegraf/types';
import type { Db } from '../../db/client.ts';
import {
  type InboxEntry,
  markUpdatesHandled,
  nextSentAt,
  sealClearUpdates,
  storeUpdates,
  unhandledUpdates,
} from '../../db/updates-repo.ts';
import type { Logger } from '../../logger.ts';
import { markOutdated } from '../shared/outdated.ts';
import { createChatLanes } from './chat-lanes.ts';
import { createHandledMarks } from './handled-marks.ts';
import { sentAtOf } from './update-date.ts';

/** BOT_UPDATE_MAX_AGE's default: a command that could not run within minutes is reported, not run. */
export const DEFAULT_MAX_UPDATE_AGE_MS = 10 * 60_000;

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
  /**
   * Seals the stored updates (SESSION_ENCRYPTION_KEY). Without one, a key of this process alone:
   * what a crash leaves unhandled cannot be read by the next process, and is dropped.
   */
  key?: Buffer;
  /** BOT_UPDATE_MAX_AGE: an update older than this is answered, not run. */
  maxAgeMs?: number;
  /** The clock ages are read on (tests drive it). */
  now?: () => number;
  /** Pause before retry number n of a failed "mark handled" write. */
  markRetryMs?: (attempt: number) => number;
};

type Entry = InboxEntry<Update>;

export function createIntake(options: IntakeOptions): Intake {
  const { bot, db, concurrency } = options;
  const log = options.log.child({ component: 'intake' });
  const botId = Number(bot.telegram.token.split(':')[0]);
  const key = options.key ?? randomBytes(32);
  if (!options.key)
    log.warn(
      'SESSION_ENCRYPTION_KEY is not set: stored updates are sealed with a key of this process only; a restart drops what it left unhandled',
    );
  const maxAgeMs = options.maxAgeMs ?? DEFAULT_MAX_UPDATE_AGE_MS;
  const now = options.now ?? Date.now;
  const marks = createHandledMarks({ db, botId, log, retryMs: options.markRetryMs });

  /** How long ago the update was sent. A tap has no date: it is older than the next dated update, and than its storing. */
  async function ageOf(entry: Entry): Promise<number> {
    const at = now();
    if (entry.sentAt) return at - entry.sentAt.getTime();
    let bound = entry.receivedAt.getTime();
    if (at - bound <= maxAgeMs) {
      const next = await nextSentAt(db, botId, entry.update.update_id).catch(() => undefined);
      if (next) bound = Math.min(bound, next.getTime());
    }
    return at - bound;
  }

  const lanes = createChatLanes<Entry>({
    concurrency,
    keyOf: (update) => chatKey(bot, update),
    async handle(entry) {
      const updateId = entry.update.update_id;
      try {
        const ageMs = await ageOf(entry);
        const outdated = ageMs > maxAgeMs;
        if (outdated)
          log.info({ updateId, ageMs, maxAgeMs }, 'update older than the age limit: answered, not run');
        await bot.handleUpdate(
          outdated ? markOutdated(entry.update, { ageMs, limitMs: maxAgeMs }) : entry.update,
        );
      } catch (err) {
        // bot.catch itself failed: the update is still done — a poison update must not come back.
        log.error({ err, updateId }, 'update failed, and so did its error handler');
      }
      marks.mark(updateId);
    },
  });

  return {
    async accept(updates) {
      const entries = updates.map((update) => ({ update, sentAt: sentAtOf(update) }));
      const fresh = await storeUpdates(db, botId, entries, key);
      if (!lanes.stopped) for (const entry of fresh) lanes.enqueue(entry);
    },
    async recover() {
      const sealed = await sealClearUpdates(db, botId, key, sentAtOf);
      if (sealed > 0) log.info({ updates: sealed }, 'sealed updates an older version stored in clear');
      const left = await unhandledUpdates(db, botId, key);
      const unreadable = left.filter((row) => !row.update).map((row) => row.updateId);
      if (unreadable.length > 0) {
        log.warn(
          { updates: unreadable.length },
          'unhandled updates stored under another key (a process without SESSION_ENCRYPTION_KEY): dropped unread',
        );
        await markUpdatesHandled(db, botId, unreadable);
      }
      let queued = 0;
      for (const { update, sentAt, receivedAt } of left) {
        if (!update) continue;
        lanes.enqueue({ update: update as Update, sentAt, receivedAt });
        queued++;
      }
      if (queued > 0)
        log.info({ updates: queued }, 'handling updates a previous run stored but did not finish');
      return queued;
    },
    pending: () => lanes.pending(),
    room: (limit) => lanes.room(limit),
    async stop(graceMs) {
      const deadline = Date.now() + graceMs;
      lanes.stop();
      if (lanes.inFlight().length > 0) {
        let timer: NodeJS.Timeout | undefined;
        const grace = new Promise<void>((resolve) => {
          timer = setTimeout(resolve, graceMs);
        });
        await Promise.race([Promise.allSettled(lanes.inFlight()), grace]);
        clearTimeout(timer);
      }
      await marks.stop(Math.max(0, deadline - Date.now()));
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

/** Updates of one chat (or, without a chat, of one user) share a lane. */
function chatKey(bot: IntakeBot, update: Update): string {
  const ctx = new Context(update, bot.telegram, bot.botInfo ?? ({} as never));
  const chat = ctx.chat?.id;
  if (chat !== undefined) return `c${chat}`;
  const from = ctx.from?.id;
  return from === undefined ? 'none' : `u${from}`;
}
