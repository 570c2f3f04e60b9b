// Tests acting as Telegram users: a text message (commands get bot_command entities), a tap on an
// inline button (a callback query the bot must answer), a document upload and the edit of a
// caption (an edited_message), each as an update.

import { documentRef, mimeTypeOf } from './media.ts';
import type { FakeMessage, FakeUser, MessageEntity } from './types.ts';
import type { Update, UpdateQueue } from './updates.ts';
import type { World } from './world.ts';
import { nowSeconds } from './world.ts';

/**
 * `chat` defaults to the sender's private chat; a negative id is a supergroup. `date` (seconds since
 * the epoch, default now): when Telegram says the message was sent — an earlier one is a message
 * that waited at Telegram, or in the inbox, while the bot was away.
 */
export type UserInput = { from: FakeUser; chat?: number; date?: number };

export type UserActions = ReturnType<typeof createUserActions>;

export function createUserActions(world: World, updates: UpdateQueue) {
  let callbackCount = 0;

  const post = (input: UserInput, fields: Omit<FakeMessage, 'message_id' | 'date' | 'chat'>): Update => {
    const from = world.rememberUser(input.from);
    const message = world.addMessage(input.chat ?? from.id, {
      from,
      ...fields,
      ...(input.date === undefined ? {} : { date: input.date }),
    });
    return updates.push({ message: structuredClone(message) });
  };

  return {
    sendText(input: UserInput & { text: string; replyTo?: number }): Update {
      const entities = commandEntities(input.text);
      const replied = input.replyTo
        ? world.findMessage(input.chat ?? input.from.id, input.replyTo)
        : undefined;
      return post(input, {
        text: input.text,
        ...(entities.length > 0 ? { entities } : {}),
        ...(replied ? { reply_to_message: replied.message } : {}),
      });
    },

    sendDocument(
      input: UserInput & {
        fileName: string;
        content: string | Uint8Array;
        caption?: string;
        mimeType?: string;
      },
    ): Update {
      const bytes = Buffer.from(input.content);
      const file = world.storeFile(
        bytes,
        'documents',
        input.fileName,
        input.mimeType ?? mimeTypeOf(input.fileName),
      );
      const entities = input.caption ? commandEntities(input.caption) : [];
      return post(input, {
        document: documentRef(file),
        ...(input.caption ? { caption: input.caption } : {}),
        ...(entities.length > 0 ? { caption_entities: entities } : {}),
      });
    },

    /** The sender edits the caption of their own message: Telegram sends it as an edited_message. */
    editCaption(input: UserInput & { message_id: number; caption: string }): Update {
      const stored = world.findMessage(input.chat ?? input.from.id, input.message_id);
      if (!stored || stored.deleted) throw new Error(`no message ${input.message_id} to edit`);
      const entities = commandEntities(input.caption);
      const message = stored.message;
      message.caption = input.caption;
      if (entities.length > 0) message.caption_entities = entities;
      else delete message.caption_entities;
      message.edit_date = nowSeconds();
      return updates.push({ edited_message: structuredClone(message) });
    },

    /** Returns the callback query id; Telegram shows an inaccessible message (date 0) when it is gone. */
    tapButton(input: UserInput & { message_id: number; data: string }): string {
      const from = world.rememberUser(input.from);
      const chatId = input.chat ?? from.id;
      const id = `${4_000_000_000_000 + ++callbackCount}`;
      const stored = world.findMessage(chatId, input.message_id);
      const message =
        stored && !stored.deleted
          ? stored.message
          : { message_id: input.message_id, chat: world.chat(chatId), date: 0 };
      world.callbacks.set(id, { chatId, answer: undefined });
      updates.push({
        callback_query: {
          id,
          from,
          message: structuredClone(message),
          chat_instance: `${chatId}`,
          data: input.data,
        },
      });
      return id;
    },
  };
}

/** bot_command entities for every `/command` or `/command@bot` that starts a word. */
function commandEntities(text: string): MessageEntity[] {
  return [...text.matchAll(/(?<=^|\s)\/[A-Za-z0-9_]{1,32}(?:@\w+)?/g)].map((match) => ({
    type: 'bot_command',
    offset: match.index,
    length: match[0].length,
  }));
}
