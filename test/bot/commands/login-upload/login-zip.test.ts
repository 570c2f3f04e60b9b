// Saved logins in bulk through real telegraf, the fake Bot API and Postgres: a ZIP captioned
// /login attaches each <username>.json to its account (encrypted, quarantine lifted, as a single
// upload does) and names every refused file with why; a bomb, a path in a name or too many entries
// refuse the archive with one line. The message is deleted whatever the outcome; no cookie is echoed.
import { randomBytes } from 'node:crypto';
import { count, eq, sql } from 'drizzle-orm';
import { strToU8, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { insertAccount } from '../../../../src/db/accounts-repo.ts';
import { accounts, auditLog } from '../../../../src/db/schema.ts';
import { openLogin } from '../../../../src/tasks/login-cipher.ts';
import { people, useChatBot } from '../../../support/chat-bot.ts';
import { useTestDatabase } from '../../../support/db.ts';
import type { FakeUser } from '../../../support/fake-bot-api.ts';
import { captureLog } from '../../../support/log-capture.ts';

const database = useTestDatabase();
const key = randomBytes(32);
const logged = captureLog();
const admin = people.admin;
const bot = useChatBot(database, { secretsKey: key, log: logged.log });

beforeAll(async () => {
  for (const username of ['alice', 'Bob', 'carol']) await insertAccount(database().db, { username });
  await database()
    .db.update(accounts)
    .set({ health: 'logged_out', quarantinedAt: sql`now()`, quarantineReason: 'logged_out' })
    .where(eq(accounts.username, 'Bob'));
});
const cookie = (name: string, value: string, extra: Record<string, unknown> = {}) => ({
  name,
  value,
  domain: '.tiktok.com',
  path: '/',
  expires: -1,
  httpOnly: true,
  secure: true,
  sameSite: 'Lax',
  ...extra,
});
const json = (value: unknown) => strToU8(JSON.stringify(value));

async function upload(zip: Uint8Array, caption = '/login', from: FakeUser = admin, fileName = 'logins.zip') {
  const before = bot.fake.messages(from.id).length;
  const update = bot.fake.sendDocument({ from, fileName, content: zip, caption });
  const messageId = (update.message as { message_id: number }).message_id;
  const reply = await bot.fake.waitFor(() => bot.fake.messages(from.id)[before]);
  return { text: String(reply.text), deleted: bot.fake.message(from.id, messageId)?.deleted };
}
const rowOf = async (username: string) =>
  (await database().db.select().from(accounts).where(eq(accounts.username, username)))[0]!;
const loginAudits = async () =>
  (await database().db.select({ n: count() }).from(auditLog).where(eq(auditLog.action, 'account.login')))[0]!
    .n;

describe('a ZIP of saved logins with the caption /login', () => {
  it('attaches each to its account and names every refused file with why', async () => {
    const zip = zipSync({
      'alice.json': json({ cookies: [cookie('sessionid', 'TOPSECRET-a')], origins: [] }),
      'batch/bob.json': json([
        cookie('sid', 'TOPSECRET-b', { expires: undefined, expirationDate: 1900000000.5 }),
      ]),
      'carol.json': json({ cookies: [cookie('sid', 'TOPSECRET-c', { domain: '' })], origins: [] }),
      'dave.json': json({ cookies: [cookie('sid', 'TOPSECRET-d')], origins: [] }),
      'notes.txt': strToU8('hello'),
      'batch/ALICE.json': json({ cookies: [cookie('sid', 'TOPSECRET-e')], origins: [] }),
    });
    const { text, deleted } = await upload(zip);
    expect(deleted).toBe(true);
    expect(text.split('\n')).toEqual([
      'Saved logins attached: 2 accounts.',
      '1 of them was paused; programmes include it again.',
      '4 files refused:',
      'notes.txt: not a .json file',
      'ALICE.json: a second file for the same account',
      'carol.json: Cookie 1 (sid): it needs a domain, such as .tiktok.com.',
      'dave.json: no such account (add it first)',
      'The message with the file was deleted from the chat.',
    ]);
    const alice = await rowOf('alice');
    expect(openLogin(key, alice.loginEncrypted!)).toMatchObject({
      cookies: [{ name: 'sessionid', value: 'TOPSECRET-a' }],
    });
    const bob = await rowOf('Bob');
    expect(openLogin(key, bob.loginEncrypted!)).toMatchObject({
      cookies: [{ name: 'sid', value: 'TOPSECRET-b', expires: 1900000000 }],
      origins: [],
    });
    // As a single upload: logged out is cured by a new login, and the quarantine lifted.
    expect(bob).toMatchObject({ health: 'unknown', quarantinedAt: null });
    expect((await rowOf('carol')).loginEncrypted).toBeNull();
    expect(await loginAudits()).toBe(2);
    const [resume] = await database().db.select().from(auditLog).where(eq(auditLog.action, 'account.resume'));
    expect(resume?.details).toMatchObject({ username: 'Bob', via: 'login' });
  });

  it.each([
    [
      'a path in a name',
      { '../evil.json': json({ cookies: [] }) },
      'That ZIP names a file with a path (.. or a leading /): refused.',
    ],
    [
      'a bomb',
      { 'big.json': new Uint8Array(4 * 1024 * 1024) },
      'That ZIP unpacks to more than 20 MB: refused.',
    ],
    [
      'too many entries',
      Object.fromEntries(Array.from({ length: 2001 }, (_, i) => [`a${i}.json`, new Uint8Array(0)])),
      'That ZIP holds more than 2,000 files: refused. Split it.',
    ],
  ])('refuses %s with one line and attaches nothing', async (_what, files, expected) => {
    const before = await loginAudits();
    const { text, deleted } = await upload(zipSync(files as Record<string, Uint8Array>));
    expect(deleted).toBe(true);
    expect(text).toBe(`${expected}\nThe message with the file was deleted from the chat.`);
    expect(await loginAudits()).toBe(before);
  });

  it('a file named .zip that is none, and a ZIP with a name in the caption, get one sentence', async () => {
    expect((await upload(strToU8('not a zip at all'))).text.split('\n')[0]).toBe(
      'That file is not a ZIP archive I can read.',
    );
    expect((await upload(zipSync({ 'a.json': json({}) }), '/login alice')).text.split('\n')[0]).toBe(
      'That file is not JSON. Send a Playwright storage state or an exported cookie list.',
    );
  });

  it('an operator is refused, and the ZIP is deleted all the same', async () => {
    const { text, deleted } = await upload(
      zipSync({ 'carol.json': json([cookie('sid', 'x')]) }),
      '/login',
      people.operator,
    );
    expect(deleted).toBe(true);
    expect(text).toBe('Your role (operator) does not allow that.');
    expect((await rowOf('carol')).loginEncrypted).toBeNull();
  });

  it('a ZIP captioned /session, the command’s older name, is read as /login', async () => {
    const { text, deleted } = await upload(
      zipSync({ 'carol.json': json([cookie('sid', 'TOPSECRET-f')]) }),
      '/session',
    );
    expect(deleted).toBe(true);
    expect(text).toBe(
      'Saved logins attached: 1 account.\nThe message with the file was deleted from the chat.',
    );
    expect(openLogin(key, (await rowOf('carol')).loginEncrypted!)).toMatchObject({
      cookies: [{ name: 'sid', value: 'TOPSECRET-f' }],
    });
  });
});

it('logged and said no cookie value along the way', () => {
  expect(logged.text()).not.toContain('TOPSECRET');
  const said = bot.fake.messages(admin.id).map((m) => String(m.text ?? ''));
  expect(said.join('\n')).not.toContain('TOPSECRET');
});
