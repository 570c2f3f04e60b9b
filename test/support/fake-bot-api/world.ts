// The fake's state, free of HTTP: chats, their messages (ids counted per chat, edits and deletions
// kept), stored files, known users and callback queries waiting for an answer.
import { randomBytes } from 'node:crypto';
import type { FakeChat, FakeMessage, FakeUser, Params, StoredFile } from './types.ts';

export type StoredMessage = { message: FakeMessage; deleted: boolean };
export type CallbackState = { chatId: number; answer: Params | undefined };

export type World = ReturnType<typeof createWorld>;

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

export function createWorld(bot: FakeUser) {
  const users = new Map<number, FakeUser>();
  const chats = new Map<number, FakeChat>();
  const messagesByChat = new Map<number, StoredMessage[]>();
  const files = new Map<string, StoredFile>();
  const filesByPath = new Map<string, StoredFile>();
  const callbacks = new Map<string, CallbackState>();
  const commands = new Map<string, unknown[]>();

  function chat(id: number): FakeChat {
    const known = chats.get(id);
    if (known) return known;
    const user = users.get(id);
    const created: FakeChat =
      id > 0
        ? {
            id,
            type: 'private',
            first_name: user?.first_name ?? `User ${id}`,
            ...(user?.username ? { username: user.username } : {}),
          }
        : { id, type: 'supergroup', title: `Group ${-id}` };
    chats.set(id, created);
    return created;
  }

  function rememberUser(user: FakeUser): FakeUser {
    const full: FakeUser = { is_bot: false, first_name: user.username ?? `User ${user.id}`, ...user };
    users.set(user.id, full);
    return full;
  }

  function addMessage(
    chatId: number,
    fields: Omit<FakeMessage, 'message_id' | 'date' | 'chat'> & { date?: number },
  ): FakeMessage {
    const list = messagesByChat.get(chatId) ?? [];
    messagesByChat.set(chatId, list);
    const message: FakeMessage = {
      message_id: list.length + 1,
      date: nowSeconds(),
      chat: chat(chatId),
      ...fields,
    };
    list.push({ message, deleted: false });
    return message;
  }

  function storeFile(
    bytes: Buffer,
    kind: 'photos' | 'documents',
    fileName?: string,
    mimeType?: string,
  ): StoredFile {
    const n = files.size + 1;
    const extension = fileName?.match(/\.[\w]+$/)?.[0] ?? (kind === 'photos' ? '.jpg' : '');
    const file: StoredFile = {
      fileId: `${kind === 'photos' ? 'AgAC' : 'BQAC'}${randomBytes(12).toString('base64url')}`,
      fileUniqueId: `AQAD${randomBytes(6).toString('base64url')}`,
      filePath: `${kind}/file_${n}${extension}`,
      bytes,
      ...(fileName ? { fileName } : {}),
      ...(mimeType ? { mimeType } : {}),
    };
    files.set(file.fileId, file);
    filesByPath.set(file.filePath, file);
    return file;
  }

  return {
    bot,
    chat,
    rememberUser,
    addMessage,
    storeFile,
    findMessage: (chatId: number, messageId: number): StoredMessage | undefined =>
      messagesByChat.get(chatId)?.[messageId - 1],
    /** The bot's messages in a chat that still exist, in order. */
    botMessages: (chatId: number): FakeMessage[] =>
      (messagesByChat.get(chatId) ?? [])
        .filter((stored) => !stored.deleted && stored.message.from?.id === bot.id)
        .map((stored) => stored.message),
    fileById: (fileId: string) => files.get(fileId),
    fileByPath: (filePath: string) => filesByPath.get(filePath),
    callbacks,
    commands,
  };
}
