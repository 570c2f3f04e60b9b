// The Bot API methods the fake implements, each validating its parameters the way Telegram does
// (text and caption limits, HTML parse errors, callback_data size, "message is not modified"…)
// and acting on the world. Handlers return the `result` or throw an ApiError.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { applyEdit, formatted, markupOf } from './content.ts';
import { documentFrom, photoFrom } from './media.ts';
import { ApiError, badRequest, type FakeMessage, type Params, type Upload } from './types.ts';
import type { UpdateQueue } from './updates.ts';
import type { World } from './world.ts';

export type Handler = (params: Params, uploads: Record<string, Upload>, signal: AbortSignal) => unknown;
export type Webhook = { url: string; secretToken?: string; allowedUpdates?: string[] };

/**
 * `localFiles`: like a self-hosted Bot API server started with `--local`, getFile answers an
 * absolute path on the server's disk (here: <localFiles.dir>/<token>/documents/…), where the file
 * is written, instead of a path to download under /file/bot<token>/.
 */
export type MethodOptions = { localFiles?: { dir: string; token: string } };

export function createMethods(
  world: World,
  updates: UpdateQueue,
  options: MethodOptions = {},
): Record<string, Handler> {
  let webhook: Webhook | undefined;

  /** A new message from the bot, with the reply markup and reply target every send method accepts. */
  const post = (p: Params, content: Partial<FakeMessage>): FakeMessage => {
    const chatId = chatIdOf(p);
    return world.addMessage(chatId, {
      from: world.bot,
      ...content,
      ...markupOf(p.reply_markup),
      ...replyTo(world, chatId, p),
    });
  };
  const caption = (p: Params) => formatted(p.caption, p.parse_mode, p.caption_entities, 'caption');

  const editable = (p: Params): FakeMessage => {
    const stored = world.findMessage(chatIdOf(p), numberOf(p, 'message_id'));
    if (!stored || stored.deleted) throw badRequest('message to edit not found');
    if (stored.message.from?.id !== world.bot.id) throw badRequest("message can't be edited");
    return stored.message;
  };

  return {
    getMe: () => world.bot,
    getUpdates: (p, _uploads, signal) => {
      if (webhook) {
        throw new ApiError(
          409,
          "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
        );
      }
      return updates.poll(p, signal);
    },
    setWebhook: (p) => {
      const url = typeof p.url === 'string' ? p.url : '';
      webhook = url ? { url, ...webhookOptions(p) } : undefined;
      if (p.drop_pending_updates === true) updates.dropPending();
      return true;
    },
    deleteWebhook: (p) => {
      webhook = undefined;
      if (p.drop_pending_updates === true) updates.dropPending();
      return true;
    },
    getWebhookInfo: () => ({
      url: webhook?.url ?? '',
      has_custom_certificate: false,
      pending_update_count: updates.pendingCount(),
      ...(webhook?.allowedUpdates ? { allowed_updates: webhook.allowedUpdates } : {}),
    }),
    setMyCommands: (p) => {
      const commands = Array.isArray(p.commands) ? (p.commands as Params[]) : [];
      for (const { command, description } of commands) {
        if (typeof command !== 'string' || !/^[a-z0-9_]{1,32}$/.test(command))
          throw badRequest('BOT_COMMAND_INVALID');
        if (typeof description !== 'string' || description.length < 1 || description.length > 256) {
          throw badRequest('BOT_COMMAND_DESCRIPTION_INVALID');
        }
      }
      world.commands.set(commandsKey(p), commands);
      return true;
    },
    getMyCommands: (p) => world.commands.get(commandsKey(p)) ?? [],
    sendMessage: (p) => {
      const text = formatted(p.text, p.parse_mode, p.entities, 'text');
      if (!text) throw badRequest('message text is empty');
      return post(p, text);
    },
    sendPhoto: (p, uploads) => post(p, { ...caption(p), ...photoFrom(world, p, uploads) }),
    sendDocument: (p, uploads) => post(p, { ...caption(p), ...documentFrom(world, p, uploads) }),
    editMessageText: (p) => {
      const message = editable(p);
      if (message.text === undefined) throw badRequest('there is no text in the message to edit');
      const text = formatted(p.text, p.parse_mode, p.entities, 'text');
      if (!text) throw badRequest('message text is empty');
      return applyEdit(message, { ...text, ...markupOf(p.reply_markup) }, [
        'text',
        'entities',
        'reply_markup',
      ]);
    },
    editMessageCaption: (p) => {
      const message = editable(p);
      if (!message.photo && !message.document) throw badRequest('there is no caption in the message to edit');
      return applyEdit(message, { ...caption(p), ...markupOf(p.reply_markup) }, [
        'caption',
        'caption_entities',
        'reply_markup',
      ]);
    },
    editMessageReplyMarkup: (p) => applyEdit(editable(p), markupOf(p.reply_markup), ['reply_markup']),
    deleteMessage: (p) => {
      const stored = world.findMessage(chatIdOf(p), numberOf(p, 'message_id'));
      if (!stored || stored.deleted) throw badRequest('message to delete not found');
      stored.deleted = true;
      return true;
    },
    answerCallbackQuery: (p) => {
      const query = world.callbacks.get(String(p.callback_query_id));
      if (!query || query.answer)
        throw badRequest('query is too old and response timeout expired or query ID is invalid');
      if (typeof p.text === 'string' && p.text.length > 200) throw badRequest('MESSAGE_TOO_LONG');
      query.answer = p;
      return true;
    },
    getFile: (p) => {
      const file = world.fileById(String(p.file_id));
      if (!file) throw badRequest('invalid file_id');
      const local = options.localFiles;
      let filePath = file.filePath;
      if (local) {
        filePath = path.join(local.dir, local.token, file.filePath);
        mkdirSync(path.dirname(filePath), { recursive: true });
        writeFileSync(filePath, file.bytes);
      }
      return {
        file_id: file.fileId,
        file_unique_id: file.fileUniqueId,
        file_size: file.bytes.length,
        file_path: filePath,
      };
    },
  };
}

function replyTo(world: World, chatId: number, p: Params): { reply_to_message?: FakeMessage } {
  const parameters = p.reply_parameters as Params | undefined;
  const id = p.reply_to_message_id ?? parameters?.message_id;
  if (typeof id !== 'number') return {};
  const stored = world.findMessage(chatId, id);
  if (stored && !stored.deleted)
    return { reply_to_message: { ...stored.message, reply_to_message: undefined } };
  if (p.allow_sending_without_reply === true || parameters?.allow_sending_without_reply === true) return {};
  throw badRequest('message to be replied not found');
}

function chatIdOf(p: Params): number {
  if (p.chat_id === undefined || p.chat_id === '') throw badRequest('chat_id is empty');
  const id = typeof p.chat_id === 'string' && /^-?\d+$/.test(p.chat_id) ? Number(p.chat_id) : p.chat_id;
  if (typeof id !== 'number' || !Number.isSafeInteger(id)) throw badRequest('chat not found');
  return id;
}

function numberOf(p: Params, key: string): number {
  const value = p[key];
  if (typeof value !== 'number') throw badRequest(`${key} is empty`);
  return value;
}

function webhookOptions(p: Params): Omit<Webhook, 'url'> {
  return {
    ...(typeof p.secret_token === 'string' ? { secretToken: p.secret_token } : {}),
    ...(Array.isArray(p.allowed_updates) ? { allowedUpdates: p.allowed_updates as string[] } : {}),
  };
}

const commandsKey = (p: Params): string =>
  JSON.stringify([p.scope ?? { type: 'default' }, p.language_code ?? '']);
