// The /login upload (a saved login) through real telegraf, the fake Bot API and Postgres: a storage state or
// cookie export is stored encrypted and its message deleted; bad files get one line, store nothing,
// and are deleted too. Cookie values are never echoed or logged.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { count, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { insertAccount } from '../../../../src/db/accounts-repo.ts';
import { accounts, auditLog } from '../../../../src/db/schema.ts';
import { openLogin } from '../../../../src/tasks/login-cipher.ts';
import { people, startChatBot, useChatBot } from '../../../support/chat-bot.ts';
import { refuseWrites, useTestDatabase } from '../../../support/db.ts';
import type { FakeUser } from '../../../support/fake-bot-api.ts';
import { captureLog } from '../../../support/log-capture.ts';

const database = useTestDatabase();
const key = randomBytes(32);
const logged = captureLog();
const admin = people.admin;

const bot = useChatBot(database, { secretsKey: key, log: logged.log });

beforeAll(async () => {
  for (const username of ['Alice', 'bob']) await insertAccount(database().db, { username });
});

async function snapshot() {
  const { db } = database();
  const rows = await db.select().from(accounts).orderBy(accounts.id);
  const [audit] = await db.select({ n: count() }).from(auditLog);
  return { rows, audit: audit?.n };
}
const accountNamed = async (username: string) =>
  (await database().db.select().from(accounts).where(eq(accounts.username, username)))[0];

/** Sends a document as `from`; returns the bot's reply and whether the user's message was deleted. */
async function upload(content: string | Buffer, caption: string, from: FakeUser = admin) {
  const before = bot.fake.messages(from.id).length;
  const update = bot.fake.sendDocument({ from, fileName: 'state.json', content, caption });
  const messageId = (update.message as { message_id: number }).message_id;
  const reply = await bot.fake.waitFor(() => bot.fake.messages(from.id)[before]);
  return { reply: String(reply.text), deleted: bot.fake.message(from.id, messageId)?.deleted };
}

describe('/login upload', () => {
  const storageState = {
    cookies: [
      {
        name: 'sessionid',
        value: 'TOPSECRET1',
        domain: '.tiktok.com',
        path: '/',
        expires: 1900000000,
        httpOnly: true,
        secure: true,
        sameSite: 'Lax',
      },
      {
        name: 'tt_csrf',
        value: 'TOPSECRET2',
        domain: '.tiktok.com',
        path: '/',
        expires: -1,
        httpOnly: false,
        secure: true,
        sameSite: 'None',
      },
    ],
    origins: [{ origin: 'https://www.tiktok.com', localStorage: [{ name: 'k', value: 'TOPSECRET3' }] }],
  };

  it('attaches a storage state encrypted, deletes the message and audits it', async () => {
    const { db } = database();
    await db.update(accounts).set({ health: 'logged_out' }).where(eq(accounts.username, 'Alice'));
    const { reply, deleted } = await upload(JSON.stringify(storageState), '/login @alice');
    expect(reply).toBe(
      'Login attached for @Alice (2 cookies).\nThe message with the file was deleted from the chat.',
    );
    expect(deleted).toBe(true);
    const row = await accountNamed('Alice');
    expect(row?.health).toBe('unknown'); // a fresh login may cure logged_out
    expect(row?.loginEncrypted?.toString('latin1')).not.toContain('TOPSECRET');
    expect(openLogin(key, row!.loginEncrypted!)).toEqual(storageState);
    const [audit] = await db.select().from(auditLog).where(eq(auditLog.action, 'account.login'));
    expect(audit).toMatchObject({
      actorId: admin.id,
      details: { accountId: row!.id, cookies: 2, origins: 1 },
    });
  });

  it('normalises an exported cookie list to a storage state', async () => {
    const exported = [
      {
        domain: '.tiktok.com',
        expirationDate: 1900000000.25,
        hostOnly: false,
        httpOnly: true,
        name: 'sessionid',
        path: '/',
        sameSite: 'no_restriction',
        secure: true,
        session: false,
        storeId: '0',
        value: 'TOPSECRET4',
      },
      {
        domain: 'www.tiktok.com',
        hostOnly: true,
        name: 'lang',
        sameSite: 'unspecified',
        session: true,
        value: 'en',
      },
    ];
    const { reply, deleted } = await upload(JSON.stringify(exported), '/login bob');
    expect(reply).toContain('Login attached for @bob (2 cookies).');
    expect(deleted).toBe(true);
    expect(openLogin(key, (await accountNamed('bob'))!.loginEncrypted!)).toEqual({
      cookies: [
        {
          name: 'sessionid',
          value: 'TOPSECRET4',
          domain: '.tiktok.com',
          path: '/',
          expires: 1900000000,
          httpOnly: true,
          secure: true,
          sameSite: 'None',
        },
        {
          name: 'lang',
          value: 'en',
          domain: 'www.tiktok.com',
          path: '/',
          expires: -1,
          httpOnly: false,
          secure: false,
          sameSite: 'Lax',
        },
      ],
      origins: [],
    });
  });

  it.each([
    ['not json at all', '/login alice', 'That file is not JSON.'],
    [
      '{"cookies": [{"name": "a", "value": "TOPSECRET5"}]}',
      '/login alice',
      'Cookie 1 (a): it needs a domain, such as .tiktok.com.',
    ],
    [
      '[{"name": "ok", "value": "v", "domain": ".x.test"}, {"name": "sid", "value": "TOPSECRET7", "domain": ".x.test", "expires": -5}]',
      '/login alice',
      'Cookie 2 (sid): expires must be -1 (a session cookie) or a Unix time in seconds after 1970.',
    ],
    [
      '[{"name": "sid", "value": "TOPSECRET8", "domain": ".x.test", "expires": 0}]',
      '/login alice',
      'Cookie 1 (sid): expires must be -1',
    ],
    [
      '{"cookies": [{"name": "sid", "value": "TOPSECRET9", "domain": ".x.test", "sameSite": "Weird"}]}',
      '/login alice',
      'Cookie 1 (sid): sameSite must be Strict, Lax or None.',
    ],
    [
      '{"hello": "TOPSECRET6"}',
      '/login alice',
      'neither a Playwright storage state nor a cookie list (cookies:',
    ],
    ['[]', '/login alice', 'That file holds no cookies.'],
    [
      '{"cookies": []}',
      '/login nobody',
      'There is no account @nobody. Add it first with /account_add nobody.',
    ],
    ['{"cookies": []}', '/login', 'Send the saved login as a JSON file'],
    ['{"cookies": []}', '/login b!d', '"b!d" is not an account name'],
    [
      Buffer.alloc(1024 * 1024 + 1, 32),
      '/login alice',
      'That file is too big for a saved login (at most 1,024 KB).',
    ],
  ])(
    '%#: a bad upload gets one line, stores nothing and is still deleted',
    async (content, caption, expected) => {
      const before = await snapshot();
      const { reply, deleted } = await upload(content, caption);
      const [line, note] = reply.split('\n');
      expect(line).toContain(expected);
      expect(reply).not.toContain('TOPSECRET');
      expect(note).toBe('The message with the file was deleted from the chat.');
      expect(deleted).toBe(true);
      expect(await snapshot()).toEqual(before);
    },
  );

  it('an operator is refused, and the file is deleted all the same', async () => {
    const before = await snapshot();
    const { reply, deleted } = await upload(JSON.stringify(storageState), '/login alice', people.operator);
    expect(reply).toBe('Your role (operator) does not allow that.');
    expect(deleted).toBe(true);
    expect((await snapshot()).rows).toEqual(before.rows);
  });

  it('without SESSION_ENCRYPTION_KEY nothing is stored, in Russian for a Russian speaker', async () => {
    const keyless = await startChatBot(database());
    try {
      const before = await snapshot();
      const from = { ...admin, language_code: 'ru' };
      const update = keyless.fake.sendDocument({
        from,
        fileName: 's.json',
        content: JSON.stringify(storageState),
        caption: '/login alice',
      });
      const reply = await keyless.fake.waitFor(() => keyless.fake.messages(admin.id)[0]);
      expect(reply.text).toBe(
        'Сохранённые входы нельзя хранить: на сервере не задан SESSION_ENCRYPTION_KEY.\nСообщение с файлом удалено из чата.',
      );
      expect(
        keyless.fake.message(admin.id, (update.message as { message_id: number }).message_id)?.deleted,
      ).toBe(true);
      expect((await snapshot()).rows).toEqual(before.rows);
    } finally {
      await keyless.stop();
    }
  });

  it('/login@thisbot counts; /login@otherbot is left alone: not processed, not deleted', async () => {
    const ours = await upload(JSON.stringify(storageState), `/login@${bot.fake.botInfo.username} bob`);
    expect(ours.reply).toContain('Login attached for @bob (2 cookies).');
    expect(ours.deleted).toBe(true);
    const before = await snapshot();
    const update = bot.fake.sendDocument({
      from: admin,
      fileName: 'state.json',
      content: JSON.stringify(storageState),
      caption: '/login@other_bot alice',
    });
    // A later command's answer shows the upload was handled (and ignored) before it.
    expect(await bot.ask(admin, '/login')).toContain('Send the saved login as a JSON file');
    const messageId = (update.message as { message_id: number }).message_id;
    expect(bot.fake.message(admin.id, messageId)?.deleted).toBe(false);
    expect(await snapshot()).toEqual(before);
  });

  it('a caption corrected by editing is processed, and the file deleted', async () => {
    const update = bot.fake.sendDocument({
      from: admin,
      fileName: 'state.json',
      content: JSON.stringify(storageState),
      caption: '/logni alice',
    });
    const messageId = (update.message as { message_id: number }).message_id;
    // A caption that is no /login is not ours: the file stays until the caption is fixed.
    expect(await bot.ask(admin, '/login')).toContain('Send the saved login as a JSON file');
    expect(bot.fake.message(admin.id, messageId)?.deleted).toBe(false);
    const before = bot.fake.messages(admin.id).length;
    bot.fake.editCaption({ from: admin, message_id: messageId, caption: '/login alice' });
    const reply = await bot.fake.waitFor(() => bot.fake.messages(admin.id)[before]);
    expect(reply.text).toBe(
      'Login attached for @Alice (2 cookies).\nThe message with the file was deleted from the chat.',
    );
    expect(bot.fake.message(admin.id, messageId)?.deleted).toBe(true);
  });

  it('a self-hosted Bot API (--local): the file is read from the path getFile answers, with the same cap', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'bot-api-local-'));
    const local = await startChatBot(database(), { secretsKey: key, fake: { localFilesDir: dir } });
    try {
      const send = (content: string | Buffer) => {
        const before = local.fake.messages(admin.id).length;
        local.fake.sendDocument({ from: admin, fileName: 's.json', content, caption: '/login alice' });
        return local.fake.waitFor(() => local.fake.messages(admin.id)[before]);
      };
      const state = { ...storageState, cookies: storageState.cookies.slice(0, 1) };
      expect((await send(JSON.stringify(state))).text).toContain('Login attached for @Alice (1 cookie).');
      const [call] = local.fake.calls('getFile');
      const answered = call?.response as { result: { file_path: string } } | undefined;
      expect(String(answered?.result.file_path)).toMatch(new RegExp(`^${dir}/`));
      expect(openLogin(key, (await accountNamed('Alice'))!.loginEncrypted!)).toEqual(state);
      expect((await send(Buffer.alloc(1024 * 1024 + 1, 32))).text).toContain('That file is too big');
    } finally {
      await local.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a text /login without a file explains how to send one', async () => {
    expect(await bot.ask(admin, '/login alice')).toContain('Send the saved login as a JSON file');
  });

  it('/session, the command’s older name, is read as /login: with a file, as text and addressed', async () => {
    const state = { ...storageState, cookies: storageState.cookies.slice(1) };
    const { reply, deleted } = await upload(JSON.stringify(state), '/session bob');
    expect(reply).toBe(
      'Login attached for @bob (1 cookie).\nThe message with the file was deleted from the chat.',
    );
    expect(deleted).toBe(true);
    expect(openLogin(key, (await accountNamed('bob'))!.loginEncrypted!)).toEqual(state);
    const addressed = await upload(JSON.stringify(storageState), `/session@${bot.fake.botInfo.username} bob`);
    expect(addressed.reply).toContain('Login attached for @bob (2 cookies).');
    expect(await bot.ask(admin, '/session')).toContain('Send the saved login as a JSON file');
  });
});

it('logged no cookie value, key or token along the way, not even when storing the login failed', async () => {
  // The bot writes no line while uploads go well: a store that fails gives the check a line to judge.
  const allow = await refuseWrites(database().db, 'accounts', 'update', "new.username = 'bob'");
  try {
    const cookie = { name: 'sessionid', value: 'TOPSECRET5', domain: '.tiktok.com', path: '/', expires: -1 };
    const { reply, deleted } = await upload(JSON.stringify({ cookies: [cookie], origins: [] }), '/login bob');
    expect(reply).toBe('Something went wrong on our side. Try again in a moment.');
    expect(deleted).toBe(true);
  } finally {
    await allow();
  }
  const failure = logged.lines().find((line) => line.msg === 'update failed');
  expect(failure, 'the failed update was logged').toBeDefined();
  const log = logged.text();
  for (const secret of ['TOPSECRET', key.toString('base64'), key.toString('hex'), bot.fake.token]) {
    expect(log).not.toContain(secret);
  }
  expect(failure?.err).toMatchObject({ message: 'database query failed' });
});
