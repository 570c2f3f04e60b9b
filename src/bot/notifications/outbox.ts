// The per-chat outbox lanes: a recorded event wakes its chat's lane, which reads the chat's
// pending entries in order (whatever gathered while the chat's next send slot came closer) and
// hands them to the notifier. Each chat has its own lane, so a throttled group never delays a
// private chat. A chat Telegram says is gone is marked unreachable and skipped until it speaks.
// Across bot processes on one database a chat's lane runs in one of them only (chat-lease.ts): a
// lane that finds the chat's lease taken leaves the chat to its holder.
import { setTimeout as sleep } from 'node:timers/promises';
import { recordAudit } from '../../db/audit-repo.ts';
import type { Db } from '../../db/client.ts';
import {
  chatsWithPendingNotifications,
  clearChatUnreachable,
  listUnreachableChats,
  markChatUnreachable,
  pendingNotifications,
  purgeNotifications,
  recordNotification,
  settleNotifications,
} from '../../db/outbox-repo.ts';
import type { Logger } from '../../logger.ts';
import type { TaskEvent } from '../../tasks/events.ts';
import { chatLease, LEASE_MS, LeaseLostError, newHolder } from './chat-lease.ts';
import type { Notifier } from './notifier-port.ts';
import { quietUntil } from './quiet-hours.ts';
import { ChatGoneError } from './refusals.ts';
import type { Throttle } from './throttle.ts';

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

const BATCH = 100;

export async function startOutbox(options: OutboxOptions): Promise<Outbox> {
  const { db, notifier, throttle } = options;
  const log = options.log.child({ component: 'outbox' });
  const retry = options.retry ?? { initialMs: 2000, maxMs: 60_000 };
  const now = options.now ?? (() => new Date());
  const stopping = new AbortController();
  const holder = newHolder();
  const leaseMs = options.leaseMs ?? LEASE_MS;
  const lanes = new Map<number, { again: boolean; done: Promise<void> }>();
  const gone = new Map<number, { reason: string; since: string }>();
  for (const row of await listUnreachableChats(db))
    gone.set(row.chatId, { reason: row.reason, since: row.since.toISOString() });

  async function drain(chatId: number, lane: { again: boolean }) {
    const lease = chatLease({ db, chatId, holder, leaseMs, log });
    try {
      await drainHeld(chatId, lane, lease);
    } finally {
      await lease.release();
    }
  }

  async function drainHeld(chatId: number, lane: { again: boolean }, lease: ReturnType<typeof chatLease>) {
    let failures = 0;
    for (;;) {
      lane.again = false;
      if (stopping.signal.aborted || gone.has(chatId)) return;
      try {
        // Let more entries gather while the chat's slot comes closer: they may fold into one message.
        const wait = throttle.peek(chatId);
        if (wait > 0) await sleep(wait, undefined, { signal: stopping.signal });
        // Another process delivers this chat now; its lane reads what we recorded too.
        if (!(await lease.take())) return;
        const pending = await pendingNotifications(db, chatId, BATCH, now());
        if (pending.length === 0) {
          if (lane.again) continue;
          await lease.release();
          // Another process may have recorded an entry while we held the lease and, finding the
          // lease taken, left it to us: look once more now that the lease is free.
          if ((await pendingNotifications(db, chatId, 1, now())).length === 0) return;
          continue;
        }
        const events = new Map(pending.map((p) => [p.id, p.event as TaskEvent]));
        await notifier.deliver(
          chatId,
          pending.map((p) => ({ id: p.id, event: p.event as TaskEvent })),
          async (ids, outcome) => {
            await settleNotifications(db, ids, outcome);
            if (outcome === 'sent') for (const id of ids) options.onDelivered?.(events.get(id)!);
            lease.check(); // before the next send: not sure of the lease, send nothing more
          },
        );
        failures = 0;
      } catch (err) {
        if (stopping.signal.aborted) return;
        if (err instanceof LeaseLostError) {
          log.warn({ chatId }, 'delivery lease lost; another bot process delivers this chat');
          return;
        }
        if (err instanceof ChatGoneError) return await markGone(chatId, err.reason);
        failures += 1;
        const delay = Math.min(retry.maxMs, retry.initialMs * 2 ** (failures - 1));
        log.warn({ err, chatId, retryInMs: delay }, 'notifications for this chat delayed');
        await sleep(delay, undefined, { signal: stopping.signal }).catch(() => {});
      }
    }
  }

  async function markGone(chatId: number, reason: string) {
    gone.set(chatId, { reason, since: new Date().toISOString() });
    log.warn({ chatId, reason }, 'chat unreachable: nothing is sent there until someone in it writes');
    await markChatUnreachable(db, chatId, reason);
    await recordAudit(db, { actorId: null, action: 'chat.unreachable', details: { chatId, reason } });
  }

  function wake(chatId: number) {
    const running = lanes.get(chatId);
    if (running) {
      running.again = true;
      return;
    }
    const lane = { again: false, done: Promise.resolve() };
    lane.done = drain(chatId, lane)
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
      if (!gone.has(chatId)) return;
      gone.delete(chatId);
      if (await clearChatUnreachable(db, chatId)) {
        log.info({ chatId }, 'chat reachable again');
        await recordAudit(db, { actorId: null, action: 'chat.reachable', details: { chatId } });
      }
      wake(chatId);
    },
    sweep,
    unreachable: () => [...gone].map(([chatId, g]) => ({ chatId, ...g })),
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
