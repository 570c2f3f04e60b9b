// sendWithRetry against the fake Bot API with real telegraf: 429s waited out, outages ridden out
// and delivered exactly once, permanent refusals not retried, aborts honoured; backoff on a fake clock.
import { Telegraf, TelegramError } from 'telegraf';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DeliveryError,
  type SendOptions,
  sendWithRetry,
} from '../../../src/bot/notifications/send-with-retry.ts';
import { createThrottle, type Throttle } from '../../../src/bot/notifications/throttle.ts';
import { type FakeBotApi, startFakeBotApi } from '../../support/fake-bot-api.ts';

const chatId = 2002;
const fast = { backoff: { initialMs: 20, maxMs: 100 } };
/** No per-chat gap, so retries are paced by the backoff alone. */
const looseThrottle = () => createThrottle({ limits: { chatIntervalMs: 0, marginMs: 0 } });

let fake: FakeBotApi;
let bot: Telegraf;
let throttle: Throttle;

beforeEach(async () => {
  fake = await startFakeBotApi();
  bot = new Telegraf(fake.token, { telegram: { apiRoot: fake.apiRoot } });
  throttle = createThrottle();
});
afterEach(() => fake.close());

const deliver = (text: string, options: Partial<SendOptions> = {}) =>
  sendWithRetry(() => bot.telegram.sendMessage(chatId, text), { throttle, chatId, ...fast, ...options });

describe('against the fake Bot API', () => {
  it('waits out a 429 and then delivers exactly once', async () => {
    fake.failNext('sendMessage', { status: 429, retryAfter: 1 });
    const sent = await deliver('#42 completed');
    expect(sent.text).toBe('#42 completed');
    expect(fake.messages(chatId)).toHaveLength(1);
    const [limited, accepted] = fake.calls('sendMessage');
    expect([limited?.status, accepted?.status]).toEqual([429, 200]);
    expect(accepted!.at - limited!.at).toBeGreaterThanOrEqual(1000);
  });

  it('rides out a 502 outage and delivers exactly once after recovery', async () => {
    fake.failAll({ status: 502 });
    const retries: string[] = [];
    const sending = deliver('#7 failed', {
      throttle: looseThrottle(),
      onRetry: ({ reason }) => retries.push(reason),
    });
    await fake.waitForCall('sendMessage', (call) => call.index >= 1 && call.status === 502);
    fake.recover();
    await sending;
    expect(fake.messages(chatId).map((m) => m.text)).toEqual(['#7 failed']);
    expect(fake.calls('sendMessage').filter((call) => call.status === 200)).toHaveLength(1);
    expect(retries.length).toBeGreaterThanOrEqual(2);
    expect(new Set(retries)).toEqual(new Set(['server_error']));
  });

  it('retries after a dropped connection', async () => {
    fake.failNext('sendMessage', { reset: true });
    await deliver('hello', { throttle: looseThrottle() });
    expect(fake.messages(chatId)).toHaveLength(1);
  });

  it('gives up at once, permanently, when the bot is blocked', async () => {
    fake.failNext('sendMessage', { status: 403, description: 'Forbidden: bot was blocked by the user' });
    const error = await deliver('hello').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({
      permanent: true,
      code: 403,
      description: 'Forbidden: bot was blocked by the user',
    });
    expect((error as DeliveryError).cause).toBeInstanceOf(TelegramError);
    expect(fake.calls('sendMessage')).toHaveLength(1);
  });

  it('treats a bad request as permanent', async () => {
    await expect(deliver('x'.repeat(5000))).rejects.toMatchObject({ permanent: true, code: 400 });
    expect(fake.calls('sendMessage')).toHaveLength(1);
  });

  it('gives up, not permanently, after maxAttempts of failures', async () => {
    fake.failAll({ status: 500 });
    const error = await deliver('hi', { maxAttempts: 3, throttle: looseThrottle() }).catch((e: unknown) => e);
    expect(error).toMatchObject({ permanent: false, code: 500 });
    expect(fake.calls('sendMessage')).toHaveLength(3);
  });

  it('stops retrying when aborted', async () => {
    fake.failAll({ status: 502 });
    const controller = new AbortController();
    const sending = deliver('hi', {
      signal: controller.signal,
      backoff: { initialMs: 60_000, maxMs: 60_000 },
    });
    await fake.waitForCall('sendMessage');
    controller.abort();
    await expect(sending).rejects.toMatchObject({ name: 'AbortError' });
    expect(fake.calls('sendMessage')).toHaveLength(1);
  });

  it('keeps a burst to one chat within the limits the fake enforces', async () => {
    fake.enforceLimits();
    await Promise.all(['one', 'two', 'three'].map((text) => deliver(text)));
    expect(fake.rateLimitHits()).toBe(0);
    expect(fake.messages(chatId)).toHaveLength(3);
  });
});

describe('on a fake clock', () => {
  it('backs off exponentially up to the cap, and waits retry_after through the throttle', async () => {
    let time = 0;
    const sleeps: number[] = [];
    const sleep = async (ms: number) => {
      sleeps.push(ms);
      time += ms;
    };
    const clockThrottle = createThrottle({ now: () => time, limits: { chatIntervalMs: 0, marginMs: 0 } });
    const errors = [502, 502, 429, 502, 502, 502].map(
      (code) =>
        new TelegramError({
          error_code: code,
          description: 'x',
          ...(code === 429 ? { parameters: { retry_after: 5 } } : {}),
        }),
    );
    const result = await sendWithRetry(
      async () => {
        const error = errors.shift();
        if (error) throw error;
        return 'sent';
      },
      { throttle: clockThrottle, chatId: 1, sleep, random: () => 1, backoff: { initialMs: 100, maxMs: 400 } },
    );
    expect(result).toBe('sent');
    expect(sleeps).toEqual([100, 200, 5000, 400, 400, 400]);
  });

  it('lets a bug in the send function surface as it is', async () => {
    const bug = new TypeError('cannot read properties of undefined');
    await expect(
      sendWithRetry(() => Promise.reject(bug), { throttle: createThrottle(), chatId: 1 }),
    ).rejects.toBe(bug);
  });
});
