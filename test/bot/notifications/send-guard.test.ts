// The send guard through real telegraf and the fake Bot API (which refuses what Telegram refuses):
// a text, caption, callback answer or keyboard over Telegram's limits is cut, sent, and logged with
// the code that built it; callback data Telegram would refuse throws in strict mode (tests) and is
// left out, loudly, in production. Builders fold their own lists: the guard is the last resort.
import { Writable } from 'node:stream';
import { Markup, Telegraf, TelegramError } from 'telegraf';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSendBudget } from '../../../src/bot/notifications/send-budget.ts';
import {
  builderOf,
  CallbackDataError,
  createSendGuard,
  type GuardReport,
} from '../../../src/bot/notifications/send-guard.ts';
import { createThrottle } from '../../../src/bot/notifications/throttle.ts';
import { createLogger } from '../../../src/logger.ts';
import { type FakeBotApi, startFakeBotApi } from '../../support/fake-bot-api.ts';
import { tinyPng } from '../../support/png.ts';

let fake: FakeBotApi;
const chat = 4242;
const lines: Record<string, unknown>[] = [];
const log = createLogger({
  level: 'warn',
  format: 'json',
  destination: new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  }),
});
const reports: GuardReport[] = [];

/** A bot as wireBot makes it: the budget (and its guard) applied to its Telegram. */
function botWith(strict: boolean) {
  const bot = new Telegraf(fake.token, { telegram: { apiRoot: fake.apiRoot } });
  createSendBudget({
    guard: createSendGuard({ log, strict, onCut: (r) => reports.push(r) }),
    // One chat gets every call here: Telegram's second a message would only make this slow.
    throttle: createThrottle({ limits: { chatIntervalMs: 0 } }),
  }).apply(bot.telegram);
  return bot;
}

beforeAll(async () => {
  fake = await startFakeBotApi();
});
afterAll(async () => {
  await fake?.close();
});
beforeEach(() => {
  lines.length = 0;
  reports.length = 0;
});

const buttons = (n: number, data = (i: number) => `b:${i}`, columns = 8) =>
  Markup.inlineKeyboard(
    Array.from({ length: n }, (_, i) => Markup.button.callback(`#${i}`, data(i))),
    { columns },
  );

const dataOf = (button: object | undefined) =>
  button && 'callback_data' in button ? button.callback_data : undefined;

/** A builder that forgot to fold its list: 300 accounts in bold lines, 150 buttons 10 a row. */
function sendUnfoldedList(bot: Telegraf) {
  const list = Array.from(
    { length: 300 },
    (_, i) => `<b>@account_${String(i).padStart(18, '0')}</b> &amp; co`,
  );
  return bot.telegram.sendMessage(chat, ['Accounts:', ...list].join('\n'), {
    parse_mode: 'HTML',
    ...buttons(150, undefined, 10),
  });
}

describe('the send guard', () => {
  it('cuts an oversize HTML text at a line, keeps 100 buttons of 150 in rows of 8, and names the builder', async () => {
    const sent = await sendUnfoldedList(botWith(false));
    expect([...String(sent.text)].length).toBeLessThanOrEqual(4096);
    expect(sent.text).toMatch(/^Accounts:\n@account_0{18} & co\n/);
    expect(sent.text).toMatch(/ & co\n…$/);
    expect(sent.entities?.every((e) => e.type === 'bold')).toBe(true);
    const kept = sent.reply_markup?.inline_keyboard ?? [];
    expect(kept.flat()).toHaveLength(100);
    expect(kept.every((row) => row.length <= 8)).toBe(true);
    expect(dataOf(kept.flat().at(-1))).toBe('b:99');
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({
      method: 'sendMessage',
      chatId: chat,
      badData: [],
      builder: expect.stringMatching(
        /^test\/bot\/notifications\/send-guard\.test\.ts:\d+ \(sendUnfoldedList\)$/,
      ),
    });
    expect(reports[0]!.findings.map((f) => f.field)).toEqual(['text', 'reply_markup']);
    expect(lines).toEqual([
      expect.objectContaining({
        level: 40,
        component: 'send-guard',
        builder: reports[0]!.builder,
        msg: expect.stringContaining("over Telegram's limits"),
      }),
    ]);
  });

  it('cuts a caption, a plain text edit and a callback answer to their own limits', async () => {
    const bot = botWith(false);
    const photo = await bot.telegram.sendPhoto(
      chat,
      { source: tinyPng() },
      {
        caption: Array.from({ length: 80 }, (_, i) => `line ${i}: ${'x'.repeat(20)}`).join('\n'),
      },
    );
    expect(photo.caption?.length).toBeLessThanOrEqual(1024);
    expect(photo.caption).toMatch(/x\n…$/);
    const short = await bot.telegram.sendMessage(chat, 'short');
    const edited = await bot.telegram.editMessageText(chat, short.message_id, undefined, 'y'.repeat(5000));
    expect(edited).toMatchObject({ text: `${'y'.repeat(4095)}…` });
    // The bot is not receiving: the tap waits for our own answer.
    const tap = fake.tapButton({
      from: { id: 7, first_name: 'T' },
      chat,
      message_id: short.message_id,
      data: 'x',
    });
    await bot.telegram.answerCbQuery(tap, 'z'.repeat(300), { show_alert: true });
    expect(String(fake.callbackAnswer(tap)?.text)).toBe(`${'z'.repeat(199)}…`);
    expect(
      reports.map((r) => [r.method, r.findings.map((f) => [f.field, f.limit, f.before, f.after])]),
    ).toEqual([
      ['sendPhoto', [['caption', 1024, 2389, 1011]]],
      ['editMessageText', [['text', 4096, 5000, 4096]]],
      ['answerCallbackQuery', [['text', 200, 300, 200]]],
    ]);
  });

  it('leaves a message within every limit exactly as it was', async () => {
    const bot = botWith(true);
    const text = `<b>${'a'.repeat(4089)}</b>&lt;`;
    const sent = await bot.telegram.sendMessage(chat, text, { parse_mode: 'HTML', ...buttons(100) });
    expect(sent.text).toBe(`${'a'.repeat(4089)}<`);
    expect(fake.calls('sendMessage').at(-1)?.params.text).toBe(text);
    expect(reports).toEqual([]);
    expect(lines).toEqual([]);
  });

  it('refuses callback data over 64 bytes loudly in strict mode: nothing reaches Telegram', async () => {
    const before = fake.calls('sendMessage').length;
    const long = (i: number) => (i === 2 ? `x:${'ж'.repeat(32)}` : `b:${i}`); // 66 bytes
    const sending = botWith(true).telegram.sendMessage(chat, 'pick', buttons(3, long));
    await expect(sending).rejects.toThrow(CallbackDataError);
    await expect(sending).rejects.toThrow(/from test\/bot\/notifications\/send-guard\.test\.ts:\d+/);
    expect(fake.calls('sendMessage')).toHaveLength(before);
  });

  it('in production leaves that button out, sends the rest and logs an error', async () => {
    const long = (i: number) => (i === 2 ? `x:${'ж'.repeat(32)}` : i === 1 ? '' : `b:${i}`);
    const sent = await botWith(false).telegram.sendMessage(chat, 'pick', buttons(4, long));
    expect(sent.reply_markup?.inline_keyboard.flat().map(dataOf)).toEqual(['b:0', 'b:3']);
    expect(reports[0]?.badData).toEqual(['', `x:${'ж'.repeat(32)}`]);
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 50, msg: expect.stringContaining('callback data Telegram refuses') }),
    );
  });

  it('without the guard, Telegram (the fake) refuses the same message: 400', async () => {
    const bare = new Telegraf(fake.token, { telegram: { apiRoot: fake.apiRoot } });
    const refused = await sendUnfoldedList(bare).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(TelegramError);
    expect((refused as TelegramError).code).toBe(400);
  });
});

describe('builderOf', () => {
  it('skips node_modules and the sending machinery, and names the file, line and function', () => {
    const stack = [
      'Error',
      '    at createSendGuard (file:///app/src/bot/notifications/send-guard.ts:140:20)',
      '    at Telegram.callApi (file:///app/src/bot/notifications/send-budget.ts:55:9)',
      '    at Telegram.sendMessage (/app/node_modules/telegraf/lib/telegram.js:292:21)',
      '    at callApi (file:///app/src/main.ts:250:5)',
      '    at async restartCommand (file:///app/src/bot/commands/tasks/tasks.ts:83:12)',
    ].join('\n');
    expect(builderOf(stack, '/app')).toBe('src/bot/commands/tasks/tasks.ts:83 (restartCommand)');
    expect(builderOf('Error\n    at file:///app/src/x.ts:1:2', '/app')).toBe('src/x.ts:1');
    expect(builderOf('Error\n    at node:internal/x:1:2', '/app')).toBeUndefined();
  });
});
