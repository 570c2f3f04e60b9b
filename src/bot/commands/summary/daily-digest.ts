// The daily summary's clock, in the bot process: every minute each chat with /digest is looked
// at; once its local time (in the chat's zone) has reached the summary's minute and today's has
// not gone out, the day is claimed by a conditional UPDATE (one winner among bot processes and
// ticks) and the summary sent. A day whose minute the clocks skip (spring forward) sends at the
// first minute after the gap; a minute passed twice (autumn) still sends once: the claim is by date.
import type { Telegram } from 'telegraf';
import { chatsWithDigest, claimDigest, releaseDigest } from '../../../db/chat-settings-repo.ts';
import type { Db } from '../../../db/client.ts';
import type { Logger } from '../../../logger.ts';
import { localTime } from '../../../tasks/local-time.ts';
import { chatTexts } from '../../shared/chat-locale.ts';
import { sendDailySummary } from './send-summary.ts';

export type DailyDigest = {
  /** Looks at every chat once, as of `now` (tests call it with a driven clock). */
  tick(): Promise<number>;
  stop(): Promise<void>;
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
  /** The default platform's name (the numbers are split by platform). */
  platforms?: { defaultName: string };
};

export function startDailyDigest(options: DailyDigestOptions): DailyDigest {
  const { db, telegram } = options;
  const log = options.log.child({ component: 'daily-digest' });
  const now = options.now ?? (() => new Date());
  let running: Promise<number> = Promise.resolve(0);

  async function sweep(): Promise<number> {
    const at = now();
    let sent = 0;
    for (const chat of await chatsWithDigest(db)) {
      const zone = chat.timeZone ?? options.timeZone ?? 'UTC';
      const local = localTime(at, zone);
      if (chat.digestAt === null || local.minute < chat.digestAt || chat.digestSentOn === local.date)
        continue;
      if (!(await claimDigest(db, chat.chatId, local.date))) continue;
      try {
        const t = await chatTexts(db, chat.chatId, zone);
        await sendDailySummary({ db, telegram, log, platforms: options.platforms }, chat.chatId, t, at);
        sent += 1;
      } catch (err) {
        log.warn({ err, chatId: chat.chatId }, 'daily summary not sent; trying again at the next tick');
        await releaseDigest(db, chat.chatId, local.date, chat.digestSentOn).catch(() => {});
      }
    }
    return sent;
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
