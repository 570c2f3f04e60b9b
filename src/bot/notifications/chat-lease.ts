// The lease a lane holds on its chat while it delivers, so that two bot processes on one database
// (a rolling deploy, webhooks behind a load balancer, ROLE=all beside ROLE=bot) never both send a
// chat's entries. Taken before the pending entries are read, renewed every third of its length
// while the lane runs (throttle waits and retry_after pauses can outlast any fixed length), and
// released when the lane ends. A lane that is not sure of its lease any more sends nothing else.

import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { releaseChatLane, takeChatLane } from '../../db/chat-lanes-repo.ts';
import type { Db } from '../../db/client.ts';
import type { Logger } from '../../logger.ts';

/**
 * Why 30 s: a holder that dies (kill -9, lost host) keeps its chats silent for at most this long
 * plus one sweep; a live holder renews every 10 s, so two renewals in a row may fail (a database
 * hiccup, a long GC pause) before it gives the chat up.
 */
export const LEASE_MS = 30_000;

/** Thrown from a settle when the lane lost its lease: the rest of the batch is another's. */
export class LeaseLostError extends Error {
  constructor(chatId: number) {
    super(`the delivery lease of chat ${chatId} was lost`);
  }
}

export type ChatLease = {
  /** Takes or renews the lease; false when another process holds it. */
  take(): Promise<boolean>;
  /** Throws LeaseLostError unless the lease is surely still ours (checked before the next send). */
  check(): void;
  /** Stops renewing and lets the chat go for another process's next wake. */
  release(): Promise<void>;
};

/** The holder id of one outbox: host, pid and a random part (two outboxes in one process differ). */
export const newHolder = () => `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

export function chatLease(deps: {
  db: Db;
  chatId: number;
  holder: string;
  leaseMs: number;
  log: Logger;
}): ChatLease {
  const { db, chatId, holder, leaseMs } = deps;
  let sureUntil = 0; // local clock: the start of the last successful renewal + leaseMs
  let lost = false;
  let renewing: NodeJS.Timeout | undefined;

  async function take() {
    const asked = Date.now();
    const ours = await takeChatLane(db, chatId, holder, leaseMs);
    if (ours) {
      sureUntil = asked + leaseMs;
      lost = false;
    } else if (sureUntil > 0) lost = true;
    return ours;
  }

  return {
    async take() {
      const ours = await take();
      if (ours && !renewing) {
        renewing = setInterval(() => {
          take().catch((err) => deps.log.warn({ err, chatId }, 'could not renew the delivery lease'));
        }, leaseMs / 3);
        renewing.unref();
      }
      return ours;
    },
    check() {
      // A third of the lease to spare: a send that starts now still reaches Telegram within it.
      if (lost || Date.now() >= sureUntil - leaseMs / 3) throw new LeaseLostError(chatId);
    },
    async release() {
      clearInterval(renewing);
      renewing = undefined;
      if (sureUntil === 0) return; // never held
      sureUntil = 0;
      // If this fails the lease simply runs out.
      await releaseChatLane(db, chatId, holder).catch((err) =>
        deps.log.warn({ err, chatId }, 'could not release the delivery lease'),
      );
    },
  };
}
