// The chats Telegram says are gone (bot blocked or kicked, chat deleted): known in memory and in
// `unreachable_chats`, audited both ways (chat.unreachable, chat.reachable). Nothing is sent to
// such a chat, and its entries wait, until someone in it writes.
import { recordAudit } from '../../db/audit-repo.ts';
import type { Db } from '../../db/client.ts';
import { clearChatUnreachable, listUnreachableChats, markChatUnreachable } from '../../db/outbox-repo.ts';
import type { Logger } from '../../logger.ts';

export type UnreachableChats = {
  has(chatId: number): boolean;
  markGone(chatId: number, reason: string): Promise<void>;
  /** The chat spoke: false when it was not unreachable; else it is cleared (and audited when stored). */
  clear(chatId: number): Promise<boolean>;
  list(): { chatId: number; reason: string; since: string }[];
};

export async function loadUnreachableChats(db: Db, log: Logger): Promise<UnreachableChats> {
  const gone = new Map<number, { reason: string; since: string }>();
  for (const row of await listUnreachableChats(db))
    gone.set(row.chatId, { reason: row.reason, since: row.since.toISOString() });
  return {
    has: (chatId) => gone.has(chatId),
    async markGone(chatId, reason) {
      gone.set(chatId, { reason, since: new Date().toISOString() });
      log.warn({ chatId, reason }, 'chat unreachable: nothing is sent there until someone in it writes');
      await markChatUnreachable(db, chatId, reason);
      await recordAudit(db, { actorId: null, action: 'chat.unreachable', details: { chatId, reason } });
    },
    async clear(chatId) {
      if (!gone.has(chatId)) return false;
      gone.delete(chatId);
      if (await clearChatUnreachable(db, chatId)) {
        log.info({ chatId }, 'chat reachable again');
        await recordAudit(db, { actorId: null, action: 'chat.reachable', details: { chatId } });
      }
      return true;
    },
    list: () => [...gone].map(([chatId, g]) => ({ chatId, ...g })),
  };
}
