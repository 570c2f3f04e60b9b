// The dump test: a real bot-and-worker process (ROLE=all) with SESSION_ENCRYPTION_KEY, fed every
// way a credential reaches us — /account_add with a proxy password, /account_set proxy= in the
// sellers' form, an /accounts_import file applied with its button, a saved login with a cookie and a
// ZIP of them, the fleet's proxy writer, a stray message with credentials, an outdated command with
// one, rows an older version left in clear — and a session and a /check run through the password
// proxy. Then every row of every table of every schema (pg-boss's included) is read as text: no
// proxy password, cookie value, bot token or key is in it, in clear or as hex; nor in the logs.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { eq, isNull } from 'drizzle-orm';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { insertAccount } from '../../src/db/accounts-repo.ts';
import { storeAccountProxies } from '../../src/db/fleet-repo.ts';
import { accounts, botUpdates, runs, tasks } from '../../src/db/schema.ts';
import { upsertUser } from '../../src/db/users-repo.ts';
import { people } from '../support/bot.ts';
import { dumpDatabase, useTestDatabase } from '../support/db.ts';
import { type FakeBotApi, startFakeBotApi } from '../support/fake-bot-api.ts';
import { startMain, useSiteForMain } from '../support/main-process.ts';

const database = useTestDatabase();
const forMain = useSiteForMain('secrets');
const key = randomBytes(32);
const TOKEN_SECRET = 'SecretTok3nQ9xZ-abcdefghijklmnop';
const token = `7000000099:${TOKEN_SECRET}`;
const SECRETS = {
  addProxy: 'AddPw7rQx',
  fleetProxy: 'FleetPw3kZ',
  importProxy: 'ImportPw5mN',
  setProxy: 'SetPw8sLq',
  zipCookie: 'ZipCookie4fT',
  legacyProxy: 'LegacyPw2vB',
  legacyInbox: 'InboxPw8cD',
  legacyHandled: 'InboxPw0hX',
  stray: 'StrayPw4hJ',
  outdated: 'StalePw6tY',
  cookie: 'CookieVal9wE',
  localStorage: 'LocalVal1pG',
  token: TOKEN_SECRET,
  key: key.toString('hex'),
};
const admin = people.admin;
let fake: FakeBotApi;

beforeAll(async () => {
  fake = await startFakeBotApi({ token });
  await upsertUser(database().db, { telegramId: admin.id, role: 'admin', username: admin.username });
});
afterAll(async () => {
  await fake?.close();
});

/** A port nothing listens on: a proxy there refuses every session at once. */
function deadPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** What an older version left: a proxy and two inbox rows in clear. */
async function seedOlderVersion(botId: number) {
  const { sql } = database();
  await sql`insert into accounts (username, proxy_url)
    values ('legacy_lee', ${`http://lee:${SECRETS.legacyProxy}@old.example:3128`})`;
  const update = (updateId: number, password: string) => ({
    update_id: updateId,
    message: {
      message_id: 900 + updateId,
      date: Math.floor(Date.now() / 1000) - 3600,
      chat: { id: admin.id, type: 'private' },
      from: { ...admin, is_bot: false },
      text: `/account_add leo http://leo:${password}@old.example:1`,
      entities: [{ type: 'bot_command', offset: 0, length: 12 }],
    },
  });
  await sql`insert into bot_updates (bot_id, update_id, payload)
    values (${botId}, 7, ${JSON.stringify(update(7, SECRETS.legacyInbox))}::jsonb)`;
  await sql`insert into bot_updates (bot_id, update_id, payload, handled_at)
    values (${botId}, 8, ${JSON.stringify(update(8, SECRETS.legacyHandled))}::jsonb, now())`;
}

/** Sends as the admin; resolves once the bot has said `count` more things in that chat. */
async function say(text: string, count: number, date?: number) {
  const before = fake.messages(admin.id).length;
  fake.sendText({ from: admin, text, ...(date ? { date } : {}) });
  return fake.waitFor(
    () => {
      const got = fake.messages(admin.id).slice(before);
      return got.length >= count && got.map((m) => String(m.text ?? m.caption));
    },
    { timeout: 30_000, description: `answers to ${text.split(' ')[0]}` },
  );
}

it('keeps no proxy password, cookie value, bot token or key anywhere in the database', async () => {
  const { db } = database();
  const botId = Number(token.split(':')[0]);
  await seedOlderVersion(botId);
  const port = await deadPort();
  const main = startMain({
    ROLE: 'all',
    DATABASE_URL: database().url,
    TELEGRAM_BOT_TOKEN: token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    SESSION_ENCRYPTION_KEY: SECRETS.key,
    WARMUP_SITE_PROFILE: forMain().profilePath,
    WORKER_CONCURRENCY: '1',
    LOG_LEVEL: 'debug',
    TELEGRAM_ADMIN_IDS: String(admin.id),
  });
  await main.waitForLog(/^warmup-bot running$/);
  // The older version's waiting command (an hour old) is told, not run, before anything else.
  const told = await fake.waitFor(() => fake.messages(admin.id).length >= 2 && fake.messages(admin.id));
  expect(told.map((m) => String(m.text))).toEqual([
    expect.stringMatching(/^\/account_add was not run: it reached me 1h 0\dm/),
    expect.stringContaining('Your message holds a password'),
  ]);

  // Through the bot: a proxy with a password, a stray credential, an outdated command with one.
  expect(await say(`/account_add alice http://alice:${SECRETS.addProxy}@127.0.0.1:${port}`, 2)).toEqual([
    expect.stringContaining(`added with proxy 127.0.0.1:${port}`),
    'Your message held a password, so I deleted it from the chat.',
  ]);
  await say(`here it is: http://u:${SECRETS.stray}@p.example:1`, 1);
  const stale = await say(
    `/account_add zed http://z:${SECRETS.outdated}@z.example:1`,
    2,
    Math.floor(Date.now() / 1000) - 20 * 60,
  );
  expect(stale[0]).toMatch(/^\/account_add was not run: it reached me 20m/);
  // A saved login with a cookie value and local storage.
  const login = {
    cookies: [{ name: 'sessionid', value: SECRETS.cookie, domain: '.example.test', path: '/' }],
    origins: [{ origin: 'https://example.test', localStorage: [{ name: 'k', value: SECRETS.localStorage }] }],
  };
  const before = fake.messages(admin.id).length;
  fake.sendDocument({
    from: admin,
    fileName: 'alice.json',
    content: JSON.stringify(login),
    caption: '/login alice',
  });
  const attached = await fake.waitFor(() => fake.messages(admin.id)[before]);
  expect(String(attached.text)).toContain('Login attached for @alice (1 cookie)');

  // A ZIP of saved logins, one per account.
  const zipped = zipSync({
    'alice.json': strToU8(
      JSON.stringify({
        cookies: [{ name: 'sid', value: SECRETS.zipCookie, domain: '.example.test', path: '/' }],
      }),
    ),
  });
  const zipAt = fake.messages(admin.id).length;
  fake.sendDocument({ from: admin, fileName: 'logins.zip', content: Buffer.from(zipped), caption: '/login' });
  expect(String((await fake.waitFor(() => fake.messages(admin.id)[zipAt])).text)).toContain('1');

  // The fleet's proxy writer, /account_set proxy= in the sellers' form, and an import by its button.
  const bob = await insertAccount(db, { username: 'bob' });
  await storeAccountProxies(
    db,
    [{ accountId: bob!.id, proxyUrl: `http://bob:${SECRETS.fleetProxy}@fleet.example:1` }],
    {
      secretsKey: key,
    },
  );
  const set = await say(`/account_set bob proxy=set.example:2:bob:${SECRETS.setProxy}`, 2);
  expect(set[0]).toContain('set.example:2');
  expect(set[1]).toBe('Your message held a password, so I deleted it from the chat.');
  const importAt = fake.messages(admin.id).length;
  fake.sendDocument({
    from: admin,
    fileName: 'fleet.csv',
    content: `username,proxy\nivan,imp.example:1:ivan:${SECRETS.importProxy}\n`,
    caption: '/accounts_import',
  });
  const preview = await fake.waitFor(() => fake.messages(admin.id)[importAt]);
  expect(String(preview.text)).toContain('New: 1');
  fake.tapButton({ from: admin, chat: admin.id, message_id: preview.message_id, data: 'fi:a' });
  await fake.waitFor(() =>
    String(fake.message(admin.id, preview.message_id)?.text).startsWith('✅ Imported: 1'),
  );

  // A check and a session through the password proxy: job data, answers, run logs, events.
  const checked = await say('/check alice', 2);
  expect(checked.join('\n')).toContain('proxy_error');
  await say('/new accounts=alice preset=observer', 1);
  await vi.waitFor(
    async () => {
      const [task] = await db.select().from(tasks);
      expect(task?.status).toBe('failed');
    },
    { timeout: 60_000, interval: 250 },
  );
  // It went through the proxy (opened for the browser), which refused it.
  expect((await db.select().from(runs)).map((r) => r.reasonCode)).toEqual(['proxy_error']);
  await vi.waitFor(
    async () => expect(await db.select().from(botUpdates).where(isNull(botUpdates.handledAt))).toEqual([]),
    { timeout: 20_000, interval: 100 },
  );
  // The older version's rows: the proxy sealed at startup, the waiting command told and not run.
  const [lee] = await db.select().from(accounts).where(eq(accounts.username, 'legacy_lee'));
  expect(lee).toMatchObject({ proxyUrl: null, proxyHost: 'old.example:3128' });
  expect(lee?.proxyEncrypted).not.toBeNull();

  const dump = await dumpDatabase(database());
  expect(dump.tables).toEqual(
    expect.arrayContaining(['public.accounts', 'public.bot_updates', 'pgboss.job']),
  );
  // The dump reads what it should: hosts are there, in clear.
  for (const host of [`127.0.0.1:${port}`, 'set.example:2', 'imp.example:1', 'old.example:3128'])
    expect(dump.text).toContain(host);
  const leaks = Object.entries(SECRETS).filter(
    ([, secret]) => dump.text.includes(secret) || dump.text.includes(Buffer.from(secret).toString('hex')),
  );
  expect(leaks.map(([name]) => name)).toEqual([]);
  const logged = Object.entries(SECRETS).filter(([, secret]) => main.output().includes(secret));
  expect(logged.map(([name]) => name)).toEqual([]);

  main.child.kill('SIGTERM');
  expect(await main.exited).toBe(0);
}, 180_000);
