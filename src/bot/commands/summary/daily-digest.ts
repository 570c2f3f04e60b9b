// The daily summary's clock, in the bot process: every minute each chat with /digest is looked
// at; once its local time (in the chat's zone) has reached the summary's minute and today's has
// not gone out, the day is claimed by a conditional UPDATE (one winner among bot processes and
// ticks) and the summary sent. A day whose minute the clocks skip (spring forward) sends at the
// first minute after the gap; a minute passed twice (autumn) still sends once: the claim is by date.
// A failed summary is tried again a few times with growing delays, then given up until tomorrow;
// a chat Telegram says is gone is not tried at all until someone in it writes; a chart that went
// out is never sent again.
import type { Telegram } from 'telegraf';
import {
  type ChatSettings,
  chatsWithDigest,
  claimDigest,
  type DigestClaim,
  markDigestChartSent,
  settleDigest,
} from '../../../db/chat-settings-repo.ts';
import type { Db } from '../../../db/client.ts';
import type { Logger } from '../../../logger.ts';
import { localTime } from '../../../tasks/local-time.ts';
import { ChatGoneError, classifyRefusal } from '../../notifications/refusals.ts';
import { backfillChatLanguages, chatTexts } from '../../shared/chat-locale.ts';
import { sendDailySummary } from './send-summary.ts';

/**
 * After the n-th failed attempt at a day's summary the next comes this many minutes later; after
 * the last, none until tomorrow. A chart is rendered on the bot's thread: a chat that cannot be
 * written to costs five renders a day at most, not one a minute.
 */
export const DIGEST_RETRY_MINUTES = [1, 5, 15, 60] as const;
const MAX_TRIES = DIGEST_RETRY_MINUTES.length + 1;
/** A claim outlives a process that died while sending by this much; then another process retries. */
const HOLD_MS = 10 * 60_000;

export type DailyDigest = {
  /** Looks at every chat once, as of `now` (tests call it with a driven clock). */
  tick(): Promise<number>;
  stop(): Promise<void>;
};

/** The chats Telegram said are gone: the outbox's own list (notifications/unreachable.ts). */
export type GoneChats = {
  isUnreachable(chatId: number): boolean;
  markUnreachable(chatId: number, reason: string): Promise<void>;
};

export type DailyDigestOptions = {
  db: Db;
  telegram: Telegram;
  log: Logger;
  /** TIMEZONE: a chat without /tz lives in it. */
  timeZone?: string;
  now?: () => Date;
  /** How often the clock is looked at; 0: never by itself (tests tick by hand). */
  everyMs?: number;
  unreachable?: GoneChats;
  /** The default platform's name (the numbers are split by platform). */
  platforms?: { defaultName: string };
};

/** Today's summary is due: its minute has come, or its retry time. */
function isDue(chat: ChatSettings, local: { date: string; minute: number }, at: Date): boolean {
  if (chat.digestAt === null) return false;
  if (chat.digestSentOn !== local.date) return local.minute >= chat.digestAt;
  return chat.digestRetryAt !== null && chat.digestRetryAt <= at;
}

export function startDailyDigest(options: DailyDigestOptions): DailyDigest {
  const { db, telegram } = options;
  const log = options.log.child({ component: 'daily-digest' });
  const now = options.now ?? (() => new Date());
  // Rows stored before the chat's language was get it once, before the first look at the clock.
  let running: Promise<number> = backfillChatLanguages(db).then(
    (filled) => {
      if (filled > 0) log.info({ filled }, "chat languages filled from who last changed the chats' settings");
      return 0;
    },
    (err) => {
      log.warn({ err }, 'could not fill the chats’ languages; their summaries speak English');
      return 0;
    },
  );

  async function sweep(): Promise<number> {
    const at = now();
    let sent = 0;
    for (const chat of await chatsWithDigest(db)) {
      const zone = chat.timeZone ?? options.timeZone ?? 'UTC';
      const local = localTime(at, zone);
      if (!isDue(chat, local, at)) continue;
      // A chat Telegram said is gone costs nothing (no claim, no chart) until someone in it writes.
      if (options.unreachable?.isUnreachable(chat.chatId)) continue;
      const holdUntil = new Date(at.getTime() + HOLD_MS);
      const claim = await claimDigest(db, chat.chatId, {
        today: local.date,
        at,
        holdUntil,
        maxTries: MAX_TRIES,
      });
      if (claim && (await attempt(chat, zone, local.date, claim, at))) sent += 1;
    }
    return sent;
  }

  /** One attempt at the claimed day's summary; true when it went out. */
  async function attempt(chat: ChatSettings, zone: string, today: string, claim: DigestClaim, at: Date) {
    const { chatId } = chat;
    try {
      await sendDailySummary(
        { db, telegram, log, platforms: options.platforms },
        chatId,
        chatTexts(chat, zone),
        at,
        {
          chartSent: claim.chartSent,
          onChartSent: () => markDigestChartSent(db, chatId, today),
        },
      );
      await settleDigest(db, chatId, today, null);
      return true;
    } catch (err) {
      await settleFailure(chatId, today, claim.tries, at, err).catch((e) =>
        log.warn({ err: e, chatId }, 'could not record a failed daily summary; its claim runs out by itself'),
      );
      return false;
    }
  }

  async function settleFailure(chatId: number, today: string, tries: number, at: Date, err: unknown) {
    if (classifyRefusal(err) === 'chat_gone') {
      const gone = new ChatGoneError(chatId, err);
      await settleDigest(db, chatId, today, null);
      await options.unreachable?.markUnreachable(chatId, gone.reason);
      log.warn(
        { chatId, reason: gone.reason },
        'daily summary: the chat is gone; not tried until someone in it writes',
      );
      return;
    }
    const delay = DIGEST_RETRY_MINUTES[tries - 1];
    const retryAt = delay === undefined ? null : new Date(at.getTime() + delay * 60_000);
    await settleDigest(db, chatId, today, retryAt);
    if (retryAt) log.warn({ err, chatId, tries, retryAt }, 'daily summary not sent; trying again later');
    else log.warn({ err, chatId, tries }, 'daily summary not sent after every try; given up until tomorrow');
  }

  const tick = () => {
    // One sweep at a time in this process; other processes are kept out by the claim.
    running = running.catch(() => 0).then(sweep);
    return running;
  };
  const every = options.everyMs ?? 60_000;
  const timer =
    every > 0
      ? setInterval(() => {
          tick().catch((err) => log.warn({ err }, 'daily summary sweep failed'));
        }, every)
      : undefined;
  timer?.unref();
  return {
    tick,
    async stop() {
      if (timer) clearInterval(timer);
      await running.catch(() => {});
    },
  };
}
