// The fake Bot API, exercised by real telegraf: polling, replies, callbacks, files, multipart
// uploads, Telegram's validation errors, injected failures and rate-limit enforcement.
import { type Context, Markup, Telegraf, TelegramError } from 'telegraf';
import { message } from 'telegraf/filters';
import type { UserFromGetMe } from 'telegraf/types';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type FakeBotApi, startFakeBotApi } from './fake-bot-api.ts';

const alice = { id: 1001, username: 'alice', language_code: 'en' };
const group = -100_200;
const PNG_1X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

let fake: FakeBotApi;
let bot: Telegraf;

/**
 * The fake under telegraf's own long polling (bot.launch), the client it imitates Telegram for;
 * the product's bot runs through its own intake (test/support/telegram.ts). telegraf 4.16's
 * launch() resolves only when polling stops, so it is not awaited: ready once the first long poll
 * is held. stop() ends polling and waits for telegraf's final offset sync.
 */
async function startBotAgainst<C extends Context>(fake: FakeBotApi, bot: Telegraf<C>) {
  bot.botInfo ??= fake.botInfo as UserFromGetMe;
  const since = fake.calls().length;
  const polling = bot.launch();
  const ready = fake.waitForCall('getUpdates', (call) => Number(call.params.timeout) > 0, {
    since,
    description: 'the bot to start long polling',
  });
  ready.catch(() => {}); // raced below; a late timeout must not surface as an unhandled rejection
  const stop = async () => {
    try {
      bot.stop('test');
    } catch {
      // launch() failed before polling started: nothing to stop.
    }
    await polling;
  };
  try {
    await Promise.race([
      ready,
      polling.then(() => {
        throw new Error('startBotAgainst: telegraf stopped polling before it started');
      }),
    ]);
  } catch (error) {
    await stop().catch(() => {});
    throw error;
  }
  return { stop };
}

beforeEach(async () => {
  fake = await startFakeBotApi();
  bot = new Telegraf(fake.token, { telegram: { apiRoot: fake.apiRoot }, handlerTimeout: 5_000 });
});
afterEach(() => fake.close());

describe('with the bot polling', () => {
  it('replies to /start in a private chat and in a group', async () => {
    bot.start((ctx) => ctx.reply(`Hello, @${ctx.from.username} (${ctx.from.language_code})`));
    const running = await startBotAgainst(fake, bot);
    const update = fake.sendText({ from: alice, text: '/start' });
    fake.sendText({ chat: group, from: alice, text: `/start@${fake.botInfo.username}` });

    const reply = await fake.waitFor(() => fake.messages(alice.id)[0]);
    expect(reply).toMatchObject({ message_id: 2, text: 'Hello, @alice (en)', chat: { type: 'private' } });
    expect(update.message).toMatchObject({ entities: [{ type: 'bot_command', offset: 0, length: 6 }] });
    const inGroup = await fake.waitFor(() => fake.messages(group)[0]);
    expect(inGroup.chat).toMatchObject({ id: group, type: 'supergroup' });
    await running.stop();
    expect(fake.pendingUpdates()).toBe(0);
  });

  it('delivers a callback query that the bot answers and edits from', async () => {
    bot.action(/^r:(\d+)$/, async (ctx) => {
      await ctx.answerCbQuery(`Restarting #${ctx.match[1]}`);
      await ctx.editMessageText(`#${ctx.match[1]} queued`);
    });
    const running = await startBotAgainst(fake, bot);
    const sent = await bot.telegram.sendMessage(
      alice.id,
      '#42 completed',
      Markup.inlineKeyboard([Markup.button.callback('Restart', 'r:42')]),
    );

    const queryId = fake.tapButton({ from: alice, message_id: sent.message_id, data: 'r:42' });
    expect(await fake.waitFor(() => fake.callbackAnswer(queryId))).toMatchObject({ text: 'Restarting #42' });
    const edited = await fake.waitFor(() => fake.messages(alice.id).find((m) => m.text === '#42 queued'));
    expect(edited.reply_markup).toBeUndefined(); // editing text without reply_markup drops the keyboard
    expect(edited.edit_date).toBeTypeOf('number');
    await running.stop();
  });

  it('serves an uploaded document through getFile and the file URL', async () => {
    bot.on(message('document'), async (ctx) => {
      const link = await ctx.telegram.getFileLink(ctx.message.document.file_id);
      const body = await (await fetch(link)).text();
      await ctx.deleteMessage();
      await ctx.reply(`${ctx.message.caption} ${ctx.message.document.file_name}: ${body}`);
    });
    const running = await startBotAgainst(fake, bot);
    const update = fake.sendDocument({
      from: alice,
      caption: '/login alice',
      fileName: 'state.json',
      content: '{"cookies":[]}',
    });

    const reply = await fake.waitFor(() => fake.messages(alice.id)[0]);
    expect(reply.text).toBe('/login alice state.json: {"cookies":[]}');
    const documentMessage = update.message as { message_id: number; caption_entities: unknown[] };
    expect(documentMessage.caption_entities).toEqual([{ type: 'bot_command', offset: 0, length: 6 }]);
    expect(fake.message(alice.id, documentMessage.message_id)?.deleted).toBe(true);
    await running.stop();
  });

  it('leaves no sockets or servers open after stop and close', async () => {
    const network = () => process.getActiveResourcesInfo().filter((r) => r.startsWith('TCP')).length;
    const before = network(); // the fake's own server is already listening
    const running = await startBotAgainst(fake, bot);
    await running.stop();
    await fake.close();
    // Sockets finish closing a few event-loop turns later (the client sees the FIN); no event marks it.
    await vi.waitFor(() => expect(network()).toBeLessThan(before), { timeout: 2_000 });
  });
});

describe('bot.telegram calls', () => {
  it('uploads a photo as multipart and keeps the PNG bytes', async () => {
    const sent = await bot.telegram.sendPhoto(
      group,
      { source: PNG_1X1, filename: 'failure.png' },
      {
        caption: '<b>#7 failed</b>: logged_out',
        parse_mode: 'HTML',
        ...Markup.inlineKeyboard([Markup.button.callback('Restart', 'r:7')]),
      },
    );
    expect(sent.photo[0]).toMatchObject({ width: 1, height: 1 });
    expect(sent.caption).toBe('#7 failed: logged_out');
    expect(sent.caption_entities).toEqual([{ type: 'bold', offset: 0, length: 9 }]);

    const [call] = fake.calls('sendPhoto');
    expect(call?.params).toMatchObject({
      chat_id: group,
      reply_markup: { inline_keyboard: [[{ callback_data: 'r:7' }]] },
    });
    expect(call?.uploads.photo?.bytes.equals(PNG_1X1)).toBe(true);
    expect(fake.file(sent.photo[0]!.file_id)?.bytes.equals(PNG_1X1)).toBe(true);

    const again = await bot.telegram.sendPhoto(alice.id, sent.photo[0]!.file_id);
    expect(again.photo[0]?.file_id).toBe(sent.photo[0]!.file_id);
    await expect(bot.telegram.sendPhoto(alice.id, { source: Buffer.from('not an image') })).rejects.toThrow(
      'IMAGE_PROCESS_FAILED',
    );
  });

  it('numbers messages per chat and keeps their edited state', async () => {
    const first = await bot.telegram.sendMessage(alice.id, 'one');
    await bot.telegram.sendMessage(group, 'other chat');
    const second = await bot.telegram.sendMessage(alice.id, 'two');
    expect([first.message_id, second.message_id]).toEqual([1, 2]);
    await bot.telegram.editMessageText(alice.id, first.message_id, undefined, 'one, edited');
    await bot.telegram.deleteMessage(alice.id, second.message_id);
    expect(fake.messages(alice.id).map((m) => m.text)).toEqual(['one, edited']);
  });

  it('rejects what Telegram rejects', async () => {
    const tg = bot.telegram;
    await expect(tg.sendMessage(alice.id, 'x'.repeat(4097))).rejects.toThrow(
      '400: Bad Request: message is too long',
    );
    await expect(tg.sendMessage(alice.id, 'ok <b>5 < 6</b>', { parse_mode: 'HTML' })).rejects.toThrow(
      "can't parse entities",
    );
    const longData = Markup.inlineKeyboard([Markup.button.callback('x', 'd'.repeat(65))]);
    await expect(tg.sendMessage(alice.id, 'buttons', longData)).rejects.toThrow('BUTTON_DATA_INVALID');
    // 64 bytes, not characters: 33 Cyrillic letters are 66 bytes.
    const wideData = Markup.inlineKeyboard([Markup.button.callback('x', 'ж'.repeat(33))]);
    await expect(tg.sendMessage(alice.id, 'buttons', wideData)).rejects.toThrow('BUTTON_DATA_INVALID');
    const button = (i: number) => Markup.button.callback(String(i), `b:${i}`);
    const many = (n: number, perRow: number) =>
      Markup.inlineKeyboard(
        Array.from({ length: n }, (_, i) => button(i)),
        { columns: perRow },
      );
    await expect(tg.sendMessage(alice.id, 'buttons', many(101, 4))).rejects.toThrow(
      'reply markup is too long',
    );
    await expect(tg.sendMessage(alice.id, 'buttons', many(9, 9))).rejects.toThrow('reply markup is too long');
    await expect(tg.sendMessage(alice.id, 'buttons', many(100, 8))).resolves.toMatchObject({
      text: 'buttons',
    });
    const bulky = Markup.inlineKeyboard(
      Array.from({ length: 100 }, (_, i) => Markup.button.callback(`${i} ${'x'.repeat(60)}`, `b:${i}`)),
      { columns: 4 },
    );
    await expect(tg.sendMessage(alice.id, 'buttons', bulky)).rejects.toThrow('reply markup is too long');
    // Telegram counts characters after parsing: 4096 emoji (8192 UTF-16 units) and 4096 escaped "<" fit.
    await expect(tg.sendMessage(alice.id, '😀'.repeat(4096))).resolves.toBeDefined();
    await expect(
      tg.sendMessage(alice.id, '&lt;'.repeat(4096), { parse_mode: 'HTML' }),
    ).resolves.toBeDefined();
    await expect(
      tg.sendMessage(alice.id, `<b>${'x'.repeat(4097)}</b>`, { parse_mode: 'HTML' }),
    ).rejects.toThrow('message is too long');
    const sent = await tg.sendMessage(alice.id, 'same');
    await expect(tg.editMessageText(alice.id, sent.message_id, undefined, 'same')).rejects.toThrow(
      'message is not modified',
    );
    await expect(tg.callApi('sendSticker' as 'getMe', {})).rejects.toMatchObject({
      code: 404,
      description: 'Not Found: method not found',
    });
    await expect(tg.answerCbQuery('nope')).rejects.toThrow('query is too old');
  });

  it('keeps commands per language and refuses getUpdates while a webhook is set', async () => {
    const tg = bot.telegram;
    await tg.setMyCommands([{ command: 'restart', description: 'Перезапустить' }], { language_code: 'ru' });
    expect(await tg.getMyCommands({ language_code: 'ru' })).toEqual([
      { command: 'restart', description: 'Перезапустить' },
    ]);
    await expect(tg.setMyCommands([{ command: 'Restart!', description: 'x' }])).rejects.toThrow(
      'BOT_COMMAND_INVALID',
    );
    await tg.setWebhook('https://bot.example/hook', { secret_token: 's3cret' });
    expect(await tg.getWebhookInfo()).toMatchObject({ url: 'https://bot.example/hook' });
    await expect(tg.getUpdates(0, 100, 0, undefined)).rejects.toMatchObject({ code: 409 });
    await tg.deleteWebhook();
    await expect(tg.getUpdates(0, 100, 0, undefined)).resolves.toEqual([]);
  });
});

describe('failure injection', () => {
  it('turns a 429 into a TelegramError carrying retry_after', async () => {
    fake.failNext('sendMessage', { status: 429, retryAfter: 7 });
    const error = await bot.telegram.sendMessage(alice.id, 'hi').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TelegramError);
    expect(error).toMatchObject({ code: 429, parameters: { retry_after: 7 } });
    await expect(bot.telegram.sendMessage(alice.id, 'hi')).resolves.toMatchObject({ text: 'hi' });
  });

  it('answers 5xx to every method until recover()', async () => {
    fake.failAll({ status: 502 });
    await expect(bot.telegram.getMe()).rejects.toMatchObject({ code: 502, description: 'Bad Gateway' });
    await expect(bot.telegram.sendMessage(alice.id, 'hi')).rejects.toMatchObject({ code: 502 });
    fake.recover();
    await expect(bot.telegram.sendMessage(alice.id, 'hi')).resolves.toMatchObject({ message_id: 1 });
    expect(fake.calls('sendMessage').map((call) => call.status)).toEqual([502, 200]);
  });

  it('ends an outage at its deadline and can reset connections', async () => {
    fake.failAll({ status: 500, untilMs: Date.now() - 1 });
    await expect(bot.telegram.getMe()).resolves.toMatchObject({ is_bot: true });
    fake.failNext('sendMessage', { reset: true });
    await expect(bot.telegram.sendMessage(alice.id, 'hi')).rejects.toMatchObject({ name: 'FetchError' });
    expect(fake.messages(alice.id)).toEqual([]);
  });
});

describe('rate-limit enforcement', () => {
  it('answers 429 to a second message within a second to one chat', async () => {
    fake.enforceLimits();
    await bot.telegram.sendMessage(alice.id, 'first');
    await bot.telegram.sendMessage(alice.id + 1, 'another chat is fine');
    await expect(bot.telegram.sendMessage(alice.id, 'second')).rejects.toMatchObject({
      code: 429,
      parameters: { retry_after: 1 },
    });
    expect(fake.rateLimitHits()).toBe(1);
    expect(fake.messages(alice.id)).toHaveLength(1);
  });

  it('caps a group per minute, and everything per second', async () => {
    fake.enforceLimits({ perChatPerSecond: 100, perGroupPerMinute: 3, globalPerSecond: 5 });
    for (const text of ['1', '2', '3']) await bot.telegram.sendMessage(group, text);
    const error = await bot.telegram.sendMessage(group, '4').catch((e: TelegramError) => e);
    expect(error).toMatchObject({ code: 429 });
    expect((error as TelegramError).parameters?.retry_after).toBeGreaterThan(50);
    await bot.telegram.sendMessage(1, 'a');
    await bot.telegram.sendMessage(2, 'b');
    await expect(bot.telegram.sendMessage(3, 'c')).rejects.toMatchObject({ code: 429 });
    expect(fake.rateLimitHits()).toBe(2);
  });
});

describe('getUpdates', () => {
  const poll = async (params: object) => {
    const res = await fetch(`${fake.apiRoot}/bot${fake.token}/getUpdates`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(params),
    });
    return (await res.json()) as { ok: boolean; result: { update_id: number }[]; error_code?: number };
  };

  it('holds a long poll until an update arrives, and confirms by offset', async () => {
    const held = poll({ timeout: 30 });
    await fake.waitForCall('getUpdates');
    const pushed = fake.sendText({ from: alice, text: 'hello' });
    expect((await held).result).toEqual([expect.objectContaining({ update_id: pushed.update_id })]);
    expect((await poll({ offset: 0 })).result).toHaveLength(1);
    expect((await poll({ offset: pushed.update_id + 1 })).result).toEqual([]);
    expect(fake.pendingUpdates()).toBe(0);
  });

  it('ends an older poll with 409 and releases held polls on close', async () => {
    const older = poll({ timeout: 30 });
    await fake.waitForCall('getUpdates');
    const newer = poll({ timeout: 30 });
    expect(await older).toMatchObject({ ok: false, error_code: 409 });
    await fake.waitForCall('getUpdates', (call) => call.index === 1);
    const started = Date.now();
    await fake.close();
    expect(await newer).toMatchObject({ ok: true, result: [] });
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

describe('waitFor', () => {
  it('refuses a predicate that returns a Promise at its first look, naming why', async () => {
    const asyncPredicate = async () => false;
    const started = Date.now();
    // @ts-expect-error a Promise-returning predicate is a type error as well
    const waiting = fake.waitFor(asyncPredicate, { timeout: 5_000, description: 'the inbox to empty' });
    await expect(waiting).rejects.toThrow(
      /waitFor: the predicate for the inbox to empty returned a Promise; it must be synchronous/,
    );
    expect(Date.now() - started).toBeLessThan(1_000); // refused, not timed out
  });

  it('resolves with the first truthy value once the state changes', async () => {
    const reply = fake.waitFor(() => fake.lastUpdate()?.update_id, { timeout: 5_000 });
    const pushed = fake.sendText({ from: alice, text: 'hello' });
    expect(await reply).toBe(pushed.update_id);
  });
});
