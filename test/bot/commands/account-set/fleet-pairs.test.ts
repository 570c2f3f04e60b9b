// proxy= and tags= of /account_set through real telegraf, the fake Bot API and Postgres: a proxy in
// either form replaces the stored one (the message deleted, the answer naming the host only), none
// removes it; tags set and clear; every bad value is one sentence that quotes no password and writes
// nothing; mixed with identity keys it is still all or nothing.
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasCredentials } from '../../../../src/bot/commands/quoted-input.ts';
import { openProxy } from '../../../../src/db/account-proxy.ts';
import { insertAccount } from '../../../../src/db/accounts-repo.ts';
import { accounts, auditLog } from '../../../../src/db/schema.ts';
import { people, useChatBot } from '../../../support/chat-bot.ts';
import { useTestDatabase } from '../../../support/db.ts';
import { captureLog } from '../../../support/log-capture.ts';

const database = useTestDatabase();
// Proxies with credentials are stored only sealed with the key (docs/operations.md).
const KEY = randomBytes(32);
const logged = captureLog();
const admin = people.admin;
const bot = useChatBot(database, { secretsKey: KEY, log: logged.log });

beforeAll(async () => {
  for (const username of ['paula', 'pete']) await insertAccount(database().db, { username });
});
const rowOf = async (username: string) =>
  (await database().db.select().from(accounts).where(eq(accounts.username, username)))[0]!;

/** Sends the command; its replies (answer, and the guard's note when it held `user:pass@`) and the deletion. */
async function send(text: string) {
  const replies = hasCredentials(text) ? 2 : 1;
  const before = bot.fake.messages(admin.id).length;
  const update = bot.fake.sendText({ from: admin, text });
  const messageId = (update.message as { message_id: number }).message_id;
  const sent = await bot.fake.waitFor(() => {
    const all = bot.fake.messages(admin.id).slice(before);
    return all.length >= replies && all.map((m) => String(m.text));
  });
  return { replies: sent, deleted: bot.fake.message(admin.id, messageId)?.deleted === true };
}

describe('/account_set proxy=', () => {
  it('takes the sellers’ form, deletes the message and names the host only', async () => {
    const { replies, deleted } = await send('/account_set paula proxy=p1.example.net:8000:buyer:Pw-SECRET-1');
    expect(deleted).toBe(true);
    expect(replies).toEqual([
      '@paula goes through the proxy p1.example.net:8000 from its next session.',
      'Your message held a password, so I deleted it from the chat.',
    ]);
    expect(openProxy(await rowOf('paula'), KEY)).toBe('http://buyer:Pw-SECRET-1@p1.example.net:8000');
    const [audit] = await database().db.select().from(auditLog).where(eq(auditLog.action, 'account.proxy'));
    expect(audit?.details).toEqual({
      accountId: (await rowOf('paula')).id,
      proxyHost: 'p1.example.net:8000',
      before: null,
    });
  });

  it('takes a URL with a password (the credentials guard deletes and says so) and SOCKS5 without one', async () => {
    const url = await send('/account_set paula proxy=http://buyer:Pw-SECRET-2@p2.example.net:3128');
    expect(url.deleted).toBe(true);
    expect(url.replies).toEqual([
      '@paula goes through the proxy p2.example.net:3128 from its next session.',
      'Your message held a password, so I deleted it from the chat.',
    ]);
    expect(openProxy(await rowOf('paula'), KEY)).toBe('http://buyer:Pw-SECRET-2@p2.example.net:3128');
    // Audited with the host it replaced (kept in clear beside the sealed URL), never a password.
    const audits = await database().db.select().from(auditLog).where(eq(auditLog.action, 'account.proxy'));
    expect(audits.at(-1)?.details).toEqual({
      accountId: (await rowOf('paula')).id,
      proxyHost: 'p2.example.net:3128',
      before: 'p1.example.net:8000',
    });
    const socks = await send('/account_set pete proxy=socks5://p3.example.net:1080');
    expect(socks.replies[0]).toBe(
      '@pete goes through the proxy p3.example.net:1080 from its next session.\nYour message named a proxy, so I deleted it from the chat.',
    );
    expect(openProxy(await rowOf('pete'), KEY)).toBe('socks5://p3.example.net:1080');
  });

  it('proxy=none takes it off', async () => {
    const { replies } = await send('/account_set pete proxy=none');
    expect(replies[0]).toContain('@pete goes without a proxy from its next session.');
    expect(openProxy(await rowOf('pete'), KEY)).toBeNull();
  });

  it.each([
    [
      'proxy=socks5://u:Pw-SECRET-3@p.example.net:1080',
      'That proxy does not work here: SOCKS5 with a user name or password',
    ],
    [
      'proxy=p.example.net:99999:u:Pw-SECRET-4',
      'That proxy does not work here: the port is not a number from 1 to 65535.',
    ],
    ['proxy=ftp://p.example.net:21', 'only http, https and socks5 proxies work'],
    ['proxy=p.example.net', 'the port is missing'],
    ['proxy=p.example.net:1:u:Pw-SECRET-5 Pw-SECRET-6', '"[link not shown]" is not a key=value setting.'],
    ['proxy=p.example.net:1 proxy=none', '"proxy" is given twice.'],
  ])('%s → one sentence, no password, nothing written', async (pairs, expected) => {
    const before = await rowOf('paula');
    const { replies } = await send(`/account_set paula ${pairs}`);
    expect(replies[0]).toContain(expected);
    expect(replies.join('\n')).not.toContain('SECRET');
    expect(await rowOf('paula')).toEqual(before);
  });
});

describe('/account_set tags=', () => {
  it('sets tags (lower case, sorted, each once), clears them with none', async () => {
    expect((await send('/account_set pete tags=US,spring,us')).replies[0]).toBe('@pete tags: #spring #us.');
    expect((await rowOf('pete')).tags).toEqual(['spring', 'us']);
    expect((await send('/account_set pete tags=none')).replies[0]).toBe('@pete has no tags now.');
    expect((await rowOf('pete')).tags).toEqual([]);
  });

  it('refuses a bad tag with one sentence', async () => {
    const { replies } = await send('/account_set pete tags=-bad');
    expect(replies[0]).toBe(
      'Tags are lower-case letters, digits, _ and - (up to 32 characters, at most 10 per account): tags=spring,us — or tags=none.',
    );
    expect((await rowOf('pete')).tags).toEqual([]);
  });

  it('with identity keys, all or nothing: a bad identity value writes neither tags nor proxy', async () => {
    const before = await rowOf('pete');
    const bad = await send('/account_set pete tags=spring proxy=p9.example.net:9 country=XX');
    expect(bad.replies[0]).toContain('"XX" is not a country I know');
    expect(await rowOf('pete')).toEqual(before);
    const good = await send('/account_set pete tags=spring country=DE');
    expect(good.replies[0]).toBe(
      'Account @pete now shows: ' +
        good.replies[0]!.split('now shows: ')[1]!.split('\n')[0] +
        '\n@pete tags: #spring.',
    );
    expect(await rowOf('pete')).toMatchObject({ tags: ['spring'], identity: { country: 'DE' } });
  });

  it('an unknown account gets one sentence; operators are refused', async () => {
    expect((await send('/account_set nobody tags=x')).replies[0]).toBe('There is no account @nobody.');
    expect(await bot.ask(people.operator, '/account_set pete tags=x')).toBe(
      'Your role (operator) does not allow that.',
    );
  });
});

it('logged no proxy password', () => {
  expect(logged.text()).not.toContain('SECRET');
});
