// One mailbox per chat: messages for a chat wait here until the chat's next send slot, and
// whatever gathered by then goes out as one batch (the caller may fold it into a digest). Each
// put() settles when its batch was delivered or failed, so a queue job completes only after that.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Throttle } from './throttle.ts';

type Letter<T> = { item: T; resolve: () => void; reject: (err: unknown) => void };

export type Mailbox<T> = { put(chatId: number, item: T): Promise<void> };

export function createMailboxes<T>(options: {
  throttle: Throttle;
  deliver: (chatId: number, batch: T[]) => Promise<void>;
  /** Order within a batch (events carry their time). */
  order?: (a: T, b: T) => number;
}): Mailbox<T> {
  const boxes = new Map<number, Letter<T>[]>();

  async function drain(chatId: number, letters: Letter<T>[]) {
    while (letters.length > 0) {
      // Let more letters gather while the chat's slot comes closer.
      const wait = options.throttle.peek(chatId);
      if (wait > 0) await sleep(wait);
      const batch = letters.splice(0);
      if (options.order) batch.sort((a, b) => options.order!(a.item, b.item));
      try {
        await options.deliver(
          chatId,
          batch.map((l) => l.item),
        );
        for (const l of batch) l.resolve();
      } catch (err) {
        for (const l of batch) l.reject(err);
      }
    }
    boxes.delete(chatId);
  }

  return {
    put(chatId, item) {
      return new Promise<void>((resolve, reject) => {
        const existing = boxes.get(chatId);
        const letters = existing ?? [];
        letters.push({ item, resolve, reject });
        if (!existing) {
          boxes.set(chatId, letters);
          void drain(chatId, letters);
        }
      });
    },
  };
}
