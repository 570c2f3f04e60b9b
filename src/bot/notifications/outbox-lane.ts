// One chat's lane of the outbox: under the chat's lease it waits for the chat's next send slot,
// reads what is pending (oldest first), hands it to the notifier and settles each entry as told;
// it ends when nothing is left, the lease is another's, or the chat is gone; transient trouble is
// retried with a doubling pause.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Db } from '../../db/client.ts';
import { pendingNotifications, settleNotifications } from '../../db/outbox-repo.ts';
import type { Logger } from '../../logger.ts';
import type { TaskEvent } from '../../tasks/events.ts';
import { chatLease, LeaseLostError } from './chat-lease.ts';
import type { Notifier } from './notifier-port.ts';
import { ChatGoneError } from './refusals.ts';
import type { Throttle } from './throttle.ts';
import type { UnreachableChats } from './unreachable.ts';

export type LaneDeps = {
  db: Db;
  notifier: Notifier;
  throttle: Throttle;
  log: Logger;
  unreachable: UnreachableChats;
  /** Aborted when the outbox stops: every wait ends, no lane starts another round. */
  stopping: AbortSignal;
  retry: { initialMs: number; maxMs: number };
  now: () => Date;
  /** This process's name on chat leases, and how long one lasts unrenewed. */
  holder: string;
  leaseMs: number;
  onDelivered?: (event: TaskEvent) => void;
};

/** A lane's flag: something was recorded for the chat while the lane ran, so look again. */
export type Lane = { again: boolean };

const BATCH = 100;

export async function drainChat(deps: LaneDeps, chatId: number, lane: Lane) {
  const { db, holder, leaseMs, log } = deps;
  const lease = chatLease({ db, chatId, holder, leaseMs, log });
  try {
    await drainHeld(deps, chatId, lane, lease);
  } finally {
    await lease.release();
  }
}

async function drainHeld(deps: LaneDeps, chatId: number, lane: Lane, lease: ReturnType<typeof chatLease>) {
  const { db, throttle, stopping, now, log, retry } = deps;
  let failures = 0;
  for (;;) {
    lane.again = false;
    if (stopping.aborted || deps.unreachable.has(chatId)) return;
    try {
      // Let more entries gather while the chat's slot comes closer: they may fold into one message.
      const wait = throttle.peek(chatId);
      if (wait > 0) await sleep(wait, undefined, { signal: stopping });
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
      await deliverPending(deps, chatId, pending, lease);
      failures = 0;
    } catch (err) {
      if (stopping.aborted) return;
      if (err instanceof LeaseLostError) {
        log.warn({ chatId }, 'delivery lease lost; another bot process delivers this chat');
        return;
      }
      if (err instanceof ChatGoneError) return await deps.unreachable.markGone(chatId, err.reason);
      failures += 1;
      const delay = Math.min(retry.maxMs, retry.initialMs * 2 ** (failures - 1));
      log.warn({ err, chatId, retryInMs: delay }, 'notifications for this chat delayed');
      await sleep(delay, undefined, { signal: stopping }).catch(() => {});
    }
  }
}

async function deliverPending(
  deps: LaneDeps,
  chatId: number,
  pending: { id: number; event: unknown }[],
  lease: ReturnType<typeof chatLease>,
) {
  const events = new Map(pending.map((p) => [p.id, p.event as TaskEvent]));
  await deps.notifier.deliver(
    chatId,
    pending.map((p) => ({ id: p.id, event: p.event as TaskEvent })),
    async (ids, outcome) => {
      await settleNotifications(deps.db, ids, outcome);
      if (outcome === 'sent') for (const id of ids) deps.onDelivered?.(events.get(id)!);
      lease.check(); // before the next send: not sure of the lease, send nothing more
    },
  );
}
