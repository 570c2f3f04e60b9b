// Webhook mode: telegraf's own server checks the secret token on every request.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { botCommands } from '../../src/bot/commands/help/help.ts';
import { textsFor } from '../../src/bot/i18n/index.ts';
import { createBot, launchBot } from '../../src/bot/index.ts';
import { upsertUser } from '../../src/db/users-repo.ts';
import { useTestDatabase } from '../support/db.ts';
import { type FakeBotApi, startFakeBotApi } from '../support/fake-bot-api.ts';
import { recordingJobs } from '../support/fixtures.ts';
import { freePort } from '../support/global-setup.ts';
import { testLog } from '../support/jobs.ts';

const database = useTestDatabase();
let fake: FakeBotApi;
let bot: ReturnType<typeof createBot>;
let endpoint: string;
const secret = 'test-secret-0123456789';

beforeAll(async () => {
  fake = await startFakeBotApi();
  await upsertUser(database().db, { telegramId: 42, role: 'viewer' });
  bot = createBot({
    token: fake.token,
    apiRoot: fake.apiRoot,
    db: database().db,
    jobs: recordingJobs(),
    log: testLog,
    sessionKey: undefined,
  });
  const port = await freePort();
  endpoint = `http://127.0.0.1:${port}/telegram/hook`;
  await launchBot(
    bot,
    { url: `https://bot.example.org/telegram/hook`, secret, host: '127.0.0.1', port },
    () => {},
  );
});
afterAll(async () => {
  bot?.stop('test');
  await fake?.close();
});

const update = (id: number) => ({
  update_id: id,
  message: {
    message_id: id,
    date: Math.floor(Date.now() / 1000),
    chat: { id: 42, type: 'private' },
    from: { id: 42, is_bot: false, first_name: 'W', language_code: 'en' },
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

it('refuses requests without the secret or with a wrong one, and handles nothing', async () => {
  for (const headers of [{}, { 'x-telegram-bot-api-secret-token': 'wrong-secret-0123456789' }]) {
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(update(2)),
    });
    expect(res.status).toBe(403);
  }
  expect(fake.messages(42)).toHaveLength(1);
});

it('registers the command menu in both languages, accepted by the Bot API', async () => {
  for (const lang of ['en', 'ru'] as const) {
    const commands = botCommands(textsFor(lang));
    await bot.telegram.setMyCommands(commands, lang === 'ru' ? { language_code: 'ru' } : {});
  }
  const calls = fake.calls('setMyCommands');
  expect(calls.map((c) => c.status)).toEqual([200, 200]);
  expect(botCommands(textsFor('ru')).map((c) => c.command)).toEqual(
    botCommands(textsFor('en')).map((c) => c.command),
  );
});
