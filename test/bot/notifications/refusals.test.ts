// What a Telegram refusal means for a notification, against the descriptions Telegram really sends:
// the chat is gone (blocked, kicked, deleted, no rights), the message to edit is gone, the edit
// changed nothing, or only this item was refused; 429, 5xx and anything that is no TelegramError are
// transient (no refusal). Real refusals of the fake Bot API through telegraf classify the same way.
import { Telegraf, TelegramError } from 'telegraf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatGoneError, classifyRefusal, type Refusal } from '../../../src/bot/notifications/refusals.ts';
import { type FakeBotApi, startFakeBotApi } from '../../support/fake-bot-api.ts';

const refusal = (code: number, description: string) => new TelegramError({ error_code: code, description });

describe('classifyRefusal', () => {
  it.each<[number, string, Refusal | undefined]>([
    [403, 'Forbidden: bot was blocked by the user', 'chat_gone'],
    [403, 'Forbidden: bot was kicked from the supergroup chat', 'chat_gone'],
    [403, 'Forbidden: bot is not a member of the channel chat', 'chat_gone'],
    [403, 'Forbidden: user is deactivated', 'chat_gone'],
    [403, 'Forbidden: anything Telegram adds later', 'chat_gone'],
    [400, 'Bad Request: chat not found', 'chat_gone'],
    [400, 'Bad Request: have no rights to send a message', 'chat_gone'],
    [400, 'Bad Request: not enough rights to send text messages to the chat', 'chat_gone'],
    [400, 'Bad Request: CHAT_WRITE_FORBIDDEN', 'chat_gone'],
    [400, 'Bad Request: group chat was upgraded to a supergroup chat', 'chat_gone'],
    [400, 'Bad Request: chat was deleted', 'chat_gone'],
    [400, 'Bad Request: PEER_ID_INVALID', 'chat_gone'],
    [400, 'Bad Request: Chat Not Found', 'chat_gone'],
    [
      400,
      'Bad Request: message is not modified: specified new message content and reply markup are exactly the same',
      'not_modified',
    ],
    [400, 'Bad Request: message to edit not found', 'message_gone'],
    [400, "Bad Request: message can't be edited", 'message_gone'],
    [400, 'Bad Request: MESSAGE_ID_INVALID', 'message_gone'],
    [400, 'Bad Request: message not found', 'message_gone'],
    [400, "Bad Request: can't parse entities: Unsupported start tag", 'refused'],
    [400, 'Bad Request: message is too long', 'refused'],
    [404, 'Not Found', 'refused'],
    [401, 'Unauthorized', 'refused'],
    [409, 'Conflict: terminated by other getUpdates request', 'refused'],
    [429, 'Too Many Requests: retry after 5', undefined],
    [500, 'Internal Server Error', undefined],
    [502, 'Bad Gateway', undefined],
  ])('%i %s → %s', (code, description, expected) => {
    expect(classifyRefusal(refusal(code, description))).toBe(expected);
  });

  it('anything that is no TelegramError (a network error, a timeout) is transient', () => {
    expect(classifyRefusal(new Error('socket hang up'))).toBeUndefined();
    expect(classifyRefusal(Object.assign(new Error('aborted'), { code: 403 }))).toBeUndefined();
    expect(classifyRefusal('403 Forbidden')).toBeUndefined();
  });

  it('ChatGoneError names the chat and what Telegram said, keeping the refusal as its cause', () => {
    const cause = refusal(403, 'Forbidden: bot was blocked by the user');
    const gone = new ChatGoneError(42, cause);
    expect(gone).toMatchObject({
      name: 'ChatGoneError',
      chatId: 42,
      reason: '403: Forbidden: bot was blocked by the user',
    });
    expect(gone.message).toBe('chat 42 cannot be written to (403: Forbidden: bot was blocked by the user)');
    expect(gone.cause).toBe(cause);
    expect(new ChatGoneError(7, new Error('boom')).reason).toBe('Error: boom');
  });
});

describe('refusals as telegraf receives them from the fake Bot API', () => {
  let fake: FakeBotApi;
  let bot: Telegraf;
  const chat = 2101;
  const caught = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('expected a refusal');
      },
      (err: unknown) => err,
    );

  beforeAll(async () => {
    fake = await startFakeBotApi();
    bot = new Telegraf(fake.token, { telegram: { apiRoot: fake.apiRoot } });
  });
  afterAll(() => fake.close());

  it('an edit that changes nothing, an edit of a deleted message, a blocked chat, a bad parse', async () => {
    const sent = await bot.telegram.sendMessage(chat, 'Task #1 running');
    const same = await caught(
      bot.telegram.editMessageText(chat, sent.message_id, undefined, 'Task #1 running'),
    );
    expect(classifyRefusal(same)).toBe('not_modified');
    await bot.telegram.deleteMessage(chat, sent.message_id);
    const gone = await caught(bot.telegram.editMessageText(chat, sent.message_id, undefined, 'Task #1 done'));
    expect(classifyRefusal(gone)).toBe('message_gone');
    fake.failNext('sendMessage', { status: 403 });
    expect(classifyRefusal(await caught(bot.telegram.sendMessage(chat, 'hello')))).toBe('chat_gone');
    const parse = await caught(bot.telegram.sendMessage(chat, '<b>open', { parse_mode: 'HTML' }));
    expect(classifyRefusal(parse)).toBe('refused');
    fake.failNext('sendMessage', { status: 502 });
    expect(classifyRefusal(await caught(bot.telegram.sendMessage(chat, 'hello')))).toBeUndefined();
  });
});
