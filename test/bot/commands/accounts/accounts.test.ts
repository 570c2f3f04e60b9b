// /accounts and /account_add through real telegraf, the fake Bot API and Postgres: proxy passwords
// and saved logins never shown, logged or left in the chat. The /login upload: login-upload.test.
import { randomBytes } from 'node:crypto';
import { count, eq, inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openProxy } from '../../../../src/db/account-proxy.ts';
import { attachLogin } from '../../../../src/db/accounts-repo.ts';
import { accounts, auditLog } from '../../../../src/db/schema.ts';
import { people, startChatBot, useChatBot } from '../../../support/chat-bot.ts';
import { refuseWrites, useTestDatabase } from '../../../support/db.ts';
import type { FakeUser } from '../../../support/fake-bot-api.ts';
import { captureLog } from '../../../support/log-capture.ts';

const database = useTestDatabase();
const logged = captureLog();
const admin = people.admin;
const KEY = randomBytes(32);

const bot = useChatBot(database, { log: logged.log, secretsKey: KEY });

async function snapshot() {
  const { db } = database();
  const rows = await db.select().from(accounts).orderBy(accounts.id);
  const [audit] = await db.select({ n: count() }).from(auditLog);
  return { rows, audit: audit?.n };
}
/** Sends text as `from`; waits for the bot's two messages (answer, deletion note). */
async function sendSecret(from: FakeUser, text: string, chat = from.id) {
  const before = bot.fake.messages(chat).length;
  const update = bot.fake.sendText({ from, chat, text });
  const messageId = (update.message as { message_id: number }).message_id;
  const replies = await bot.fake.waitFor(() => {
    const sent = bot.fake.messages(chat).slice(before);
    return sent.length >= 2 && sent.map((m) => String(m.text));
  });
  return { replies, deleted: bot.fake.message(chat, messageId)?.deleted };
}
const accountNamed = async (username: string) =>
  (await database().db.select().from(accounts).where(eq(accounts.username, username)))[0];

it('/accounts with none yet says how to add one', async () => {
  expect(await bot.ask(people.viewer, '/accounts')).toBe(
    'Аккаунтов пока нет. Администратор добавляет их: /account_add <username> [proxy_url].',
  );
});

describe('/account_add', () => {
  it('adds an account, stripping the @, and audits it', async () => {
    expect(await bot.ask(admin, '/account_add @Alice')).toBe(
      'Account @Alice added. Attach its login: send a JSON file with the caption /login Alice.',
    );
    const row = await accountNamed('Alice');
    expect(row).toMatchObject({ proxyUrl: null, createdBy: admin.id, health: 'unknown' });
    const [audit] = await database().db.select().from(auditLog).where(eq(auditLog.action, 'account.add'));
    expect(audit).toMatchObject({ actorId: admin.id, details: { accountId: row!.id, username: 'Alice' } });
  });

  it('takes a proxy with credentials, shows only its host, and deletes the message holding the password', async () => {
    const { replies, deleted } = await sendSecret(
      admin,
      '/account_add bob http://user:s3cret@proxy.example:8080',
    );
    expect(replies).toEqual([
      'Account @bob added with proxy proxy.example:8080. Attach its login: send a JSON file with the caption /login bob.',
      'Your message held a password, so I deleted it from the chat.',
    ]);
    expect(deleted).toBe(true);
    // Stored sealed with the secrets key: the host in clear, the URL only for who holds the key.
    const row = (await accountNamed('bob'))!;
    expect(row).toMatchObject({ proxyUrl: null, proxyHost: 'proxy.example:8080' });
    expect(openProxy(row, KEY)).toBe('http://user:s3cret@proxy.example:8080');
    expect(JSON.stringify(row)).not.toContain('s3cret');
    const audits = await database().db.select().from(auditLog);
    expect(JSON.stringify(audits)).not.toContain('s3cret');
  });

  it('takes the sellers’ host:port:user:pass too: the host only in the answer, the message deleted', async () => {
    const { replies, deleted } = await sendSecret(admin, '/account_add dora 10.1.2.3:8000:buyer:Seller-PW-9');
    expect(replies).toEqual([
      'Account @dora added with proxy 10.1.2.3:8000. Attach its login: send a JSON file with the caption /login dora.',
      'Your message held a password, so I deleted it from the chat.',
    ]);
    expect(deleted).toBe(true);
    expect(openProxy((await accountNamed('dora'))!, KEY)).toBe('http://buyer:Seller-PW-9@10.1.2.3:8000');
    expect(JSON.stringify(bot.fake.messages(admin.id))).not.toContain('Seller-PW-9');
    // A SOCKS5 proxy with a password would never work in the browser: refused, with why.
    expect(await bot.ask(admin, '/account_add erin 10.1.2.3:1080')).toContain(
      'added with proxy 10.1.2.3:1080',
    );
    const socks = await bot.ask(admin, '/account_add fred socks5://u:Socks-PW@10.1.2.3:1080');
    expect(socks).toContain(
      'SOCKS5 with a user name or password (the browser cannot log in to a SOCKS5 proxy)',
    );
    expect(socks).not.toContain('Socks-PW');
    expect(await accountNamed('fred')).toBeUndefined();
    await database()
      .db.delete(accounts)
      .where(inArray(accounts.username, ['dora', 'erin']));
  });

  it('without SESSION_ENCRYPTION_KEY, refuses a proxy with credentials in one sentence and adds nothing', async () => {
    const keyless = await startChatBot(database());
    try {
      const before = await snapshot();
      const chat = admin.id;
      const sent = keyless.fake.messages(chat).length;
      const update = keyless.fake.sendText({
        from: admin,
        text: '/account_add frank http://u:NoKey9@p.example:1',
      });
      const replies = await keyless.fake.waitFor(() => {
        const got = keyless.fake.messages(chat).slice(sent);
        return got.length >= 2 && got.map((m) => String(m.text));
      });
      expect(replies).toEqual([
        'Nothing was saved: a proxy with a user name or password is stored only encrypted, and SESSION_ENCRYPTION_KEY is not set on the server. Set it, or give the proxy without credentials.',
        'Your message held a password, so I deleted it from the chat.',
      ]);
      const messageId = (update.message as { message_id: number }).message_id;
      expect(keyless.fake.message(chat, messageId)?.deleted).toBe(true);
      expect(await snapshot()).toEqual(before);
      // A proxy without credentials is no secret: kept in clear without a key.
      expect(await keyless.ask(admin, '/account_add frank http://p.example:1')).toContain('added with proxy');
      expect(await accountNamed('frank')).toMatchObject({
        proxyUrl: 'http://p.example:1',
        proxyHost: 'p.example:1',
        proxyEncrypted: null,
      });
    } finally {
      await keyless.stop();
      await database().db.delete(accounts).where(eq(accounts.username, 'frank'));
    }
  });

  it('the proxy typed before the username: the reply names the slip without the URL, the message is deleted', async () => {
    const before = await snapshot();
    const { replies, deleted } = await sendSecret(
      admin,
      '/account_add http://u:Sup3rSecretPw@127.0.0.1:9 erin',
    );
    expect(replies).toEqual([
      'The username comes first and the proxy second: /account_add <username> [proxy_url].',
      'Your message held a password, so I deleted it from the chat.',
    ]);
    expect(deleted).toBe(true);
    expect(await snapshot()).toEqual(before);
  });

  it('in a group where the bot may not delete, it says so and asks the sender to delete it', async () => {
    const group = -500;
    bot.fake.failNext('deleteMessage', { status: 400, description: "Bad Request: message can't be deleted" });
    const { replies, deleted } = await sendSecret(
      admin,
      '/account_add http://u:Sup3rSecretPw@127.0.0.1:9 erin',
      group,
    );
    expect(replies[1]).toBe(
      'Your message holds a password and I may not delete it here (I need the right to delete messages): please delete it yourself.',
    );
    expect(deleted).toBe(false);
    expect(JSON.stringify(replies)).not.toContain('Sup3rSecretPw');
  });

  it.each([
    ['a URL', '/account_add x http://a:Sup3rSecretPw@h.test:1', people.stranger],
    // Another stranger: one is refused once in a while only.
    [
      'the sellers’ form',
      '/account_add x 10.1.2.3:8000:buyer:Sup3rSecretPw',
      { ...people.stranger, id: 1667 },
    ],
  ])(
    'a stranger’s message with credentials (%s) is deleted too, before the refusal',
    async (_, text, from) => {
      const { replies, deleted } = await sendSecret(from, text);
      expect(replies[0]).toContain(`Your Telegram id is ${from.id}`);
      expect(replies[1]).toBe('Your message held a password, so I deleted it from the chat.');
      expect(deleted).toBe(true);
    },
  );

  it('a password in the sellers’ form is deleted whatever else is wrong: a viewer’s, a bad port', async () => {
    for (const [from, text, note] of [
      [
        people.viewer,
        '/account_add x 10.1.2.3:8000:buyer:Sup3rSecretPw',
        'В сообщении был пароль, поэтому я удалил его из чата.',
      ],
      [
        admin,
        '/account_add x 10.1.2.3:99999:buyer:Sup3rSecretPw',
        'Your message held a password, so I deleted it from the chat.',
      ],
    ] as const) {
      const { replies, deleted } = await sendSecret(from, text);
      expect(replies[1]).toBe(note);
      expect(deleted).toBe(true);
      expect(JSON.stringify(replies)).not.toContain('Sup3rSecretPw');
    }
    expect(await accountNamed('x')).toBeUndefined();
  });

  it.each([
    ['/account_add https://proxy.example:8080', 'The username comes first and the proxy second'],
    ['/account_add www.example.com alice', 'The username comes first and the proxy second'],
    ['/task http://evil.example/42', '"[link not shown]" is not a task id'],
    ['/restart 4 https://evil.example/failed', '"[link not shown]"'],
    ['/new name=x http://evil.example/a=b', '"[link not shown]" is not a setting'],
    ['/grant www.evil.example viewer', '"[link not shown]" is not a Telegram user id'],
    ['/grant 5 https://evil.example', '"[link not shown]" is not a role'],
  ])('%s → no link quoted back', async (command, expected) => {
    const reply = await bot.ask(admin, command);
    expect(reply).toContain(expected);
    expect(reply).not.toMatch(/example|:\/\//);
  });

  it.each([
    ['/account_add', 'Usage: /account_add <username> [proxy_url]'],
    ['/account_add alice', 'Account @alice already exists.'],
    ['/account_add a', '"a" is not a TikTok username'],
    ['/account_add bad!name', '"bad!name" is not a TikTok username'],
    ['/account_add carol ftp://proxy.example:1080', 'That proxy does not work here: '],
    ['/account_add carol http://proxy.example', 'That proxy does not work here: the port is missing.'],
    ['/account_add carol http://proxy.example:8080/path', 'That proxy does not work here: '],
    ['/account_add carol http://proxy.example:8080 extra', 'Usage: /account_add'],
  ])('%s → one line, nothing added', async (command, expected) => {
    const before = await snapshot();
    const reply = await bot.ask(admin, command);
    expect(reply).toContain(expected);
    expect(reply.split('\n')).toHaveLength(1);
    expect(await snapshot()).toEqual(before);
  });

  it('is for admins only', async () => {
    const before = await snapshot();
    expect(await bot.ask(people.operator, '/account_add carol')).toBe(
      'Your role (operator) does not allow that.',
    );
    expect((await snapshot()).rows).toEqual(before.rows);
  });
});

const berlin = {
  country: 'DE',
  locale: 'de-DE',
  timezoneId: 'Europe/Berlin',
  screen: { width: 1920, height: 1080 },
  viewport: { width: 1920, height: 1000 },
  deviceScaleFactor: 1,
};

describe('/accounts', () => {
  it('shows health, last warmup, login and proxy host — never the login or the password', async () => {
    const { db } = database();
    await db
      .update(accounts)
      .set({ health: 'ok', lastWarmedAt: new Date('2030-01-02T03:04:05Z') })
      .where(eq(accounts.username, 'bob'));
    const alice = (await accountNamed('Alice'))!;
    await attachLogin(db, alice.id, Buffer.from('an encrypted login'));
    await db.update(accounts).set({ identity: berlin }).where(eq(accounts.id, alice.id));
    await db.update(accounts).set({ identity: null }).where(eq(accounts.username, 'bob'));
    const reply = await bot.ask(people.operator, '/accounts');
    expect(reply.split('\n')).toEqual([
      'Accounts: 2',
      '❔ not checked yet 1 · ✅ ok 1',
      '',
      '❔ @Alice — not checked yet · never warmed · login ✓ · tiktok',
      '✅ @bob — ok · last warmed 2 Jan 2030, 03:04 UTC · no login · proxy proxy.example:8080 · tiktok',
    ]);
    expect(await bot.ask(people.viewer, '/accounts')).toContain(
      '✅ @bob — в порядке · прогрет 02.01.2030, 03:04 UTC · нет входа',
    );
  });

  it('logged no proxy password along the way, not even the failure of a query that held one', async () => {
    // The bot writes no line while things go well: a failed insert, with the proxy URL among its
    // parameters, gives the check below a line to judge.
    const allow = await refuseWrites(database().db, 'accounts', 'insert', "new.username = 'doomed'");
    try {
      const { replies } = await sendSecret(
        admin,
        '/account_add doomed http://user:Sup3rSecretPw@proxy.example:8080',
      );
      // The credentials guard speaks first (its finally), then bot.catch.
      expect(replies).toEqual([
        'Your message held a password, so I deleted it from the chat.',
        'Something went wrong on our side. Try again in a moment.',
      ]);
    } finally {
      await allow();
    }
    const failure = logged.lines().find((line) => line.msg === 'update failed');
    expect(failure, 'the failed update was logged').toBeDefined();
    const log = logged.text();
    expect(log).not.toContain('s3cret');
    expect(log).not.toContain('Sup3rSecretPw');
    expect(failure?.err).toMatchObject({ message: 'database query failed' });
  });
});
