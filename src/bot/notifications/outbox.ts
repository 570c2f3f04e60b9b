// The per-chat outbox lanes: a recorded event wakes its chat's lane, which reads the chat's
// pending entries in order (whatever gathered while the chat's next send slot came closer) and
// hands them to the notifier. Each chat has its own lane, so a throttled group never delays a
// private chat. A chat Telegram says is gone is marked unreachable and skipped until it speaks.
// Across bot processes on one database a chat's lane runs in one of them only (chat-lease.ts): a
// lane that finds the chat's lease taken leaves the chat to its holder. One lane's loop is in
// outbox-lane.ts, the unreachable chats in unreachable.ts.
import type { Db } from '../../db/client.ts';
import {
  chatsWithPendingNotifications,
  purgeNotifications,
  recordNotification,
} from '../../db/outbox-repo.ts';
import type { Logger } from '../../logger.ts';
import type { TaskEvent } from '../../tasks/events.ts';
import { LEASE_MS, newHolder } from './chat-lease.ts';
import type { Notifier } from './notifier-port.ts';
import { drainChat, type Lane, type LaneDeps } from './outbox-lane.ts';
import { quietUntil } from './quiet-hours.ts';
import type { Throttle } from './throttle.ts';
import { loadUnreachableChats } from './unreachable.ts';

export type Outbox = {
  /** Records an event for its chat (once per job id) and wakes the chat's lane. */
  record(event: TaskEvent, jobId: string | null): Promise<void>;
  /** Someone in this chat wrote: if it was unreachable, it is not any more. */
  chatSpoke(chatId: number): Promise<void>;
  /** Chats not written to, and why (for /readyz). */
  unreachable(): { chatId: number; reason: string; since: string }[];
  /** Wakes every chat with entries due (held ones whose quiet hours ended); runs every sweepMs anyway. */
  sweep(): Promise<void>;
  /** Resolves once no lane is delivering (for tests and shutdown). */
  idle(): Promise<void>;
  stop(): Promise<void>;
};

export type OutboxOptions = {
  db: Db;
  notifier: Notifier;
  throttle: Throttle;
  log: Logger;
  /** Told of every event once it went out (delivery lag metric). */
  onDelivered?: (event: TaskEvent) => void;
  /** How often every chat with pending entries is looked at anyway (after trouble, or a restart). */
  sweepMs?: number;
  /** After transient trouble a lane waits this long, doubling up to maxMs, before it tries again. */
  retry?: { initialMs: number; maxMs: number };
  keepDays?: number;
  /** TIMEZONE: quiet hours of a chat without /tz are in it. */
  timeZone?: string;
  /** The clock of quiet hours (tests drive it). */
  now?: () => Date;
  /** How long a chat's delivery lease lasts unrenewed (LEASE_MS; tests shorten it). */
  leaseMs?: number;
};

export async function startOutbox(options: OutboxOptions): Promise<Outbox> {
  const { db } = options;
  const log = options.log.child({ component: 'outbox' });
  const now = options.now ?? (() => new Date());
  const stopping = new AbortController();
  const lanes = new Map<number, Lane & { done: Promise<void> }>();
  const unreachable = await loadUnreachableChats(db, log);
  const laneDeps: LaneDeps = {
    db,
    notifier: options.notifier,
    throttle: options.throttle,
    log,
    unreachable,
    stopping: stopping.signal,
    retry: options.retry ?? { initialMs: 2000, maxMs: 60_000 },
    now,
    holder: newHolder(),
    leaseMs: options.leaseMs ?? LEASE_MS,
    ...(options.onDelivered ? { onDelivered: options.onDelivered } : {}),
  };

  function wake(chatId: number) {
    const running = lanes.get(chatId);
    if (running) {
      running.again = true;
      return;
    }
    const lane = { again: false, done: Promise.resolve() };
    lane.done = drainChat(laneDeps, chatId, lane)
      .catch((err) => log.error({ err, chatId }, 'outbox lane failed'))
      .finally(() => {
        lanes.delete(chatId);
        if (lane.again && !stopping.signal.aborted) wake(chatId);
      });
    lanes.set(chatId, lane);
  }

  async function sweep() {
    for (const chatId of await chatsWithPendingNotifications(db, now())) wake(chatId);
    const keepDays = options.keepDays ?? 7;
    await purgeNotifications(db, new Date(Date.now() - keepDays * 86_400_000));
  }
  const sweeping = setInterval(() => {
    sweep().catch((err) => log.warn({ err }, 'outbox sweep failed'));
  }, options.sweepMs ?? 30_000);
  sweeping.unref();
  await sweep();

  return {
    async record(event, jobId) {
      if (event.chatId === null) return;
      const heldUntil = await quietUntil(db, event, now(), options.timeZone);
      await recordNotification(db, { chatId: event.chatId, taskId: event.taskId, jobId, event, heldUntil });
      if (!heldUntil) wake(event.chatId);
    },
    async chatSpoke(chatId) {
      if (await unreachable.clear(chatId)) wake(chatId);
    },
    sweep,
    unreachable: () => unreachable.list(),
    async idle() {
      while (lanes.size > 0) await Promise.all([...lanes.values()].map((l) => l.done));
    },
    async stop() {
      clearInterval(sweeping);
      stopping.abort();
      await Promise.all([...lanes.values()].map((l) => l.done));
    },
  };
}
