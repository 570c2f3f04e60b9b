// Webhook mode: our server checks the secret token on every request, answers once the update is
// stored (not handled), and feeds the same intake as long polling; a taken port fails at bind.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { botCommands } from '../../../src/bot/commands/help/help.ts';
import { textsFor } from '../../../src/bot/i18n/index.ts';
import { bindWebhook, createBot, type WebhookServer } from '../../../src/bot/index.ts';
import { upsertUser } from '../../../src/db/users-repo.ts';
import { useTestDatabase } from '../../support/db.ts';
import { type FakeBotApi, startFakeBotApi } from '../../support/fake-bot-api.ts';
import { freePort } from '../../support/global-setup.ts';
import { testLog } from '../../support/jobs.ts';
import { startMain } from '../../support/main-process.ts';
import { botDepsFor, type Launched, launchAgainst } from '../../support/telegram.ts';

const database = useTestDatabase();
let fake: FakeBotApi;
let bot: ReturnType<typeof createBot>;
let endpoint: string;
let webhook: WebhookServer;
let receiving: Launched;
const secret = 'test-secret-0123456789';

beforeAll(async () => {
  fake = await startFakeBotApi();
  await upsertUser(database().db, { telegramId: 42, role: 'viewer' });
  bot = createBot(botDepsFor(fake, database().db));
  const port = await freePort();
  endpoint = `http://127.0.0.1:${port}/telegram/hook`;
  webhook = await bindWebhook({
    url: `https://bot.example.org/telegram/hook`,
    secret,
    host: '127.0.0.1',
    port,
  });
  receiving = await launchAgainst(fake, bot, { db: database().db, log: testLog, concurrency: 4, webhook });
});
afterAll(async () => {
  await receiving?.stop(0);
  await fake?.close();
});

const update = (id: number, chat = 42) => ({
  update_id: id,
  message: {
    message_id: id,
    date: Math.floor(Date.now() / 1000),
    chat: { id: chat, type: 'private' },
    from: { id: chat, is_bot: false, first_name: 'W', language_code: 'en' },
    text: '/help',
    entities: [{ type: 'bot_command', offset: 0, length: 5 }],
  },
});

it('registers the webhook with its secret, and answers requests that carry it', async () => {
  const registered = fake.calls('setWebhook')[0]!;
  expect(registered.params).toMatchObject({
    url: 'https://bot.example.org/telegram/hook',
    secret_token: secret,
  });
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
    body: JSON.stringify(update(1)),
  });
  expect(res.status).toBe(200);
  const reply = await fake.waitFor(() => fake.messages(42)[0]);
  expect(String(reply.text)).toContain('/list');
});

const post = (body: unknown) =>
  fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
    body: JSON.stringify(body),
  });

it('answers once an update is stored; a slow chat holds back no other chat', async () => {
  await upsertUser(database().db, { telegramId: 43, role: 'viewer' });
  const held = fake.hold('sendMessage', (call) => call.params.chat_id === 42);
  expect((await post(update(10))).status).toBe(200);
  await held.reached;
  expect((await post(update(11, 43))).status).toBe(200);
  await fake.waitFor(() => fake.messages(43)[0], { description: "the other chat's reply" });
  expect(fake.messages(42)).toHaveLength(1);
  // A redelivery of a stored update is answered and not handled again.
  expect((await post(update(11, 43))).status).toBe(200);
  held.release();
  await fake.waitFor(() => fake.messages(42).length === 2 || undefined);
  expect(fake.messages(43)).toHaveLength(1);
});

it('a body that is no update is refused', async () => {
  expect((await post({ hello: 'world' })).status).toBe(400);
});

it('a taken port is an error at bind, naming the setting', async () => {
  await expect(
    bindWebhook({ url: 'https://bot.example.org/x', secret, host: '127.0.0.1', port: webhook.port }),
  ).rejects.toThrow(/^TELEGRAM_WEBHOOK_PORT 127\.0\.0\.1:\d+ is already in use by another process/);
});

it('refuses requests without the secret or with a wrong one, and handles nothing', async () => {
  for (const headers of [{}, { 'x-telegram-bot-api-secret-token': 'wrong-secret-0123456789' }]) {
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(update(2)),
    });
    expect(res.status).toBe(403);
  }
  expect(fake.messages(42)).toHaveLength(2);
});

it('main registers the command menu in both languages, accepted by the Bot API, and then its webhook', async () => {
  const own = await startFakeBotApi();
  try {
    const main = startMain({
      ROLE: 'bot',
      DATABASE_URL: database().url,
      TELEGRAM_BOT_TOKEN: own.token,
      TELEGRAM_API_ROOT: own.apiRoot,
      TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/telegram/main-hook',
      TELEGRAM_WEBHOOK_SECRET: secret,
      TELEGRAM_WEBHOOK_PORT: String(await freePort()),
      LOG_LEVEL: 'info',
    });
    await main.waitForLog(/^bot receiving updates$/);
    const calls = own.calls('setMyCommands');
    expect(calls.map((c) => [c.status, c.params.language_code])).toEqual([
      [200, undefined],
      [200, 'ru'],
    ]);
    expect(calls.map((c) => c.params.commands)).toEqual([
      botCommands(textsFor('en')),
      botCommands(textsFor('ru')),
    ]);
    expect(own.calls('setWebhook').map((c) => c.params.url)).toEqual([
      'https://bot.example.org/telegram/main-hook',
    ]);
    main.child.kill('SIGTERM');
    expect(await main.exited).toBe(0);
  } finally {
    await own.close();
  }
  expect(botCommands(textsFor('ru')).map((c) => c.command)).toEqual(
    botCommands(textsFor('en')).map((c) => c.command),
  );
}, 60_000);
