// What a Telegram refusal means for a notification: the chat is gone (blocked, kicked, deleted),
// the message to edit is gone, the edit changed nothing, or only this item was refused. Anything
// else (5xx, network, retries given up) is transient: the outbox tries again later.
import { TelegramError } from 'telegraf';

export type Refusal = 'chat_gone' | 'message_gone' | 'not_modified' | 'refused';

const CHAT_GONE =
  /chat not found|bot was blocked|bot was kicked|bot is not a member|user is deactivated|have no rights to send|not enough rights to send|CHAT_WRITE_FORBIDDEN|group chat was upgraded|chat was deleted|PEER_ID_INVALID/i;
const MESSAGE_GONE =
  /message to edit not found|message can't be edited|MESSAGE_ID_INVALID|message not found/i;

export function classifyRefusal(err: unknown): Refusal | undefined {
  if (!(err instanceof TelegramError)) return undefined;
  const description = err.description ?? err.message;
  if (err.code === 403 || (err.code === 400 && CHAT_GONE.test(description))) return 'chat_gone';
  if (err.code !== 400) return err.code >= 500 || err.code === 429 ? undefined : 'refused';
  if (description.includes('message is not modified')) return 'not_modified';
  if (MESSAGE_GONE.test(description)) return 'message_gone';
  return 'refused';
}

/** Telegram says this chat cannot be written to; nothing more goes there until someone in it speaks. */
export class ChatGoneError extends Error {
  override name = 'ChatGoneError';
  readonly chatId: number;
  readonly reason: string;
  constructor(chatId: number, cause: unknown) {
    const reason = cause instanceof TelegramError ? `${cause.code}: ${cause.description}` : String(cause);
    super(`chat ${chatId} cannot be written to (${reason})`, { cause });
    this.chatId = chatId;
    this.reason = reason;
  }
}
