// /accounts_import through real telegraf, the fake Bot API and Postgres, on a driven clock: the file
// is deleted at once, the preview names bad lines by number and never a password, nothing is written
// before Apply; Apply by another admin, a second time or 16 minutes later is refused; one tap writes
// every account in one transaction.
import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openProxy } from '../../../../src/db/account-proxy.ts';
import { accounts, auditLog } from '../../../../src/db/schema.ts';
import { upsertUser } from '../../../../src/db/users-repo.ts';
import { createLogger } from '../../../../src/logger.ts';
import { buttonsOf, type ChatBot, people, startChatBot } from '../../../support/chat-bot.ts';
import { useTestDatabase } from '../../../support/db.ts';
import type { FakeMessage, FakeUser } from '../../../support/fake-bot-api.ts';

const database = useTestDatabase();
// Proxies with credentials are stored only sealed with the key (docs/operations.md).
const KEY = randomBytes(32);
const logLines: string[] = [];
const admin = people.admin;
const zoe = { id: 1005, username: 'zoe', language_code: 'en', first_name: 'Zoe' } as const;
let clock = Date.parse('2026-12-01T10:00:00Z');
let bot: ChatBot;

beforeAll(async () => {
  const destination = new PassThrough().on('data', (chunk: Buffer) => logLines.push(chunk.toString()));
  bot = await startChatBot(database(), {
    secretsKey: KEY,
    now: () => clock,
    log: createLogger({ level: 'trace', format: 'json', destination }),
  });
  await upsertUser(database().db, { telegramId: zoe.id, role: 'admin', username: zoe.username });
});
afterAll(async () => {
  await bot?.stop();
});
beforeEach(() => {
  clock += 60 * 60_000;
});

/** 30 accounts, half with URL proxies and half in the sellers' form, tags; lines 7 and 20 bad. */
function thirtyAccounts(): string {
  const lines = ['username,proxy,tags'];
  for (let i = 0; i < 30; i++) {
    const proxy =
      i % 2 === 0
        ? `http://buyer${i}:Pw-SECRET-${i}@p${i}.proxy.example:8000`
        : `p${i}.proxy.example:9000:buyer${i}:Pw-SECRET-${i}`;
    lines.push(`spring${i},${proxy},"spring,${i % 3 === 0 ? 'us' : 'eu'}"`);
    if (i === 4) lines.push('not a name!,p.proxy.example:8000:u:Pw-SECRET-bad1,spring');
    if (i === 16) lines.push('badproxy,p.proxy.example:70000:u:Pw-SECRET-bad2,spring');
  }
  return lines.join('\n');
}

/** Sends a document as `from`; the bot's answer and whether the user's message was deleted. */
async function upload(content: string | Buffer, caption = '/accounts_import', from: FakeUser = admin) {
  const before = bot.fake.messages(from.id).length;
  const update = bot.fake.sendDocument({ from, fileName: 'fleet.csv', content, caption });
  const messageId = (update.message as { message_id: number }).message_id;
  const reply = await bot.fake.waitFor(() => bot.fake.messages(from.id)[before]);
  return { reply, text: String(reply.text), deleted: bot.fake.message(from.id, messageId)?.deleted };
}

const fleetSize = async () => (await database().db.select({ n: count() }).from(accounts))[0]!.n;
const imports = async () =>
  (await database().db.select({ n: count() }).from(auditLog).where(eq(auditLog.action, 'account.import')))[0]!
    .n;
/** Taps a preview's button (in the preview's chat) as `from`; the answer's text. */
const tap = (m: FakeMessage, data: string, from: FakeUser = admin) =>
  bot.tap(from, data, m.message_id, admin.id);
const everything = () =>
  [...bot.fake.messages(admin.id), ...bot.fake.messages(zoe.id)].map((m) => String(m.text ?? '')).join('\n');

describe('/accounts_import', () => {
  it('deletes the file, previews 30 accounts and both bad lines by number without a password, writes nothing', async () => {
    const { reply, text, deleted } = await upload(thirtyAccounts());
    expect(deleted).toBe(true);
    expect(text.split('\n')).toEqual([
      '📥 Import preview — nothing is written until you tap Apply.',
      'New: 30 · changed: 0 · unchanged: 0',
      'New: spring0, spring1, spring2, spring3, spring4, spring5, spring6, spring7, spring8, spring9 +20',
      '2 lines left out:',
      'line 7: not a username (letters, digits, _ and ., 2–24 characters)',
      'line 20: bad proxy: the port is not a number from 1 to 65535',
      'The message with the file was deleted from the chat.',
    ]);
    expect(buttonsOf(reply)).toEqual([
      ['✅ Apply (30)', 'fi:a'],
      ['✖️ Cancel', 'fi:x'],
    ]);
    expect(await fleetSize()).toBe(0);
    expect(everything()).not.toContain('SECRET');
  });

  it('refuses Apply by another admin; one tap applies all 30 in one transaction; a second tap is refused', async () => {
    const { reply } = await upload(thirtyAccounts());
    expect(await tap(reply, 'fi:a', zoe)).toBe('Only the admin who sent the file can apply or cancel it.');
    expect(await fleetSize()).toBe(0);
    expect(await tap(reply, 'fi:a')).toBe('');
    expect(bot.fake.message(admin.id, reply.message_id)?.text).toBe(
      '✅ Imported: 30 new, 0 changed, 0 unchanged.',
    );
    const rows = await database().db.select().from(accounts).orderBy(accounts.id);
    expect(rows).toHaveLength(30);
    // now() is the transaction's start: one transaction gives every row the same instant.
    expect(new Set(rows.map((r) => r.createdAt.toISOString())).size).toBe(1);
    expect(rows[0]).toMatchObject({
      username: 'spring0',
      proxyUrl: null,
      proxyHost: 'p0.proxy.example:8000',
      tags: ['spring', 'us'],
      createdBy: admin.id,
    });
    expect(openProxy(rows[0]!, KEY)).toBe('http://buyer0:Pw-SECRET-0@p0.proxy.example:8000');
    expect(rows[1]).toMatchObject({
      username: 'spring1',
      proxyHost: 'p1.proxy.example:9000',
      tags: ['eu', 'spring'],
    });
    expect(openProxy(rows[1]!, KEY)).toBe('http://buyer1:Pw-SECRET-1@p1.proxy.example:9000');
    // Each its own identity.
    expect(new Set(rows.map((r) => JSON.stringify(r.identity))).size).toBe(30);
    const [audit] = await database().db.select().from(auditLog).where(eq(auditLog.action, 'account.import'));
    expect(audit).toMatchObject({
      actorId: admin.id,
      details: { added: 30, changed: 0, unchanged: 0, bad: 2 },
    });
    expect(await tap(reply, 'fi:a')).toBe(
      'This preview has expired (15 minutes) or was used already: send the file again.',
    );
    expect(await fleetSize()).toBe(30);
    expect(await imports()).toBe(1);
  });

  it('a preview older than 15 minutes is refused, and Cancel writes nothing', async () => {
    const changed = thirtyAccounts()
      .replace('Pw-SECRET-2@p2.proxy.example:8000', 'Pw-SECRET-2@p2.other.example:8001')
      .concat('\nnewcomer,,spring');
    const first = await upload(changed);
    expect(first.text).toContain('New: 1 · changed: 1 · unchanged: 29');
    expect(first.text).toContain('The changes: proxy 1 · tags 0 · platform 0');
    expect(first.text).toContain('Changed: spring2');
    clock += 16 * 60_000;
    expect(await tap(first.reply, 'fi:a')).toBe(
      'This preview has expired (15 minutes) or was used already: send the file again.',
    );
    const second = await upload(changed);
    expect(await tap(second.reply, 'fi:x')).toBe('');
    expect(bot.fake.message(admin.id, second.reply.message_id)?.text).toBe(
      'Import cancelled: nothing was written.',
    );
    expect(await tap(second.reply, 'fi:a')).toContain('has expired');
    expect(await fleetSize()).toBe(30);
    expect(await imports()).toBe(1);
    const [two] = await database().db.select().from(accounts).where(eq(accounts.username, 'spring2'));
    expect(two?.proxyHost).toBe('p2.proxy.example:8000');
  });

  it('a file with nothing to change says so, with no button', async () => {
    const { reply, text } = await upload(thirtyAccounts());
    expect(text).toContain('New: 0 · changed: 0 · unchanged: 30');
    expect(text).toContain('Nothing to change: every account in the file is as it is already.');
    expect(buttonsOf(reply)).toEqual([]);
  });

  it('refuses a file over the limit with the limit, and bad files with one sentence each', async () => {
    expect((await upload(Buffer.alloc(1024 * 1024 + 1, 'a'))).text).toBe(
      'That file is too big to import (at most 1,024 KB).\nThe message with the file was deleted from the chat.',
    );
    const first = (content: string) => upload(content).then((r) => r.text.split('\n')[0]);
    expect(await first('username,proxy\n# nothing yet\n')).toBe('That file holds no accounts.');
    expect(await first('name;proxy\nalice;p.example:1')).toBe(
      'The header line has no username column (the columns: username, proxy, tags, platform).',
    );
    expect(await first('username,proxy,proxy\nalice,,')).toBe(
      'The header line names the column proxy twice.',
    );
    expect(await first('\u0000PK\u0003\u0004')).toBe(
      'That file is not text: save the sheet as CSV and send that.',
    );
    const lines = Array.from({ length: 5001 }, (_, i) => `many${i}`).join('\n');
    expect(await first(lines)).toBe(
      'That file holds more than 5,000 accounts: split it into files of at most 5,000 lines.',
    );
    expect(await fleetSize()).toBe(30);
  });

  it('a caption fixed by editing counts; an operator is refused after the file is gone', async () => {
    const update = bot.fake.sendDocument({
      from: admin,
      fileName: 'f.csv',
      content: 'late1\nlate2',
      caption: 'fleet',
    });
    const messageId = (update.message as { message_id: number }).message_id;
    const before = bot.fake.messages(admin.id).length;
    bot.fake.editCaption({ from: admin, message_id: messageId, caption: '/accounts_import' });
    const reply = await bot.fake.waitFor(() => bot.fake.messages(admin.id)[before]);
    expect(String(reply.text)).toContain('New: 2 · changed: 0 · unchanged: 0');
    expect(bot.fake.message(admin.id, messageId)?.deleted).toBe(true);

    const refused = await upload('sneaky,p.example:1:u:Pw-SECRET-op', '/accounts_import', people.operator);
    expect(refused.deleted).toBe(true);
    expect(refused.text).toBe('Your role (operator) does not allow that.');
    expect(await bot.ask(admin, '/accounts_import')).toContain('Send the accounts as a CSV or TXT file');
  });

  it('logged no password along the way', () => {
    expect(logLines.join('')).not.toContain('SECRET');
    expect(everything()).not.toContain('SECRET');
  });
});

it('keeps nothing in the database for a preview: the file lives in memory only', async () => {
  const rows = await database().db.execute<{ n: number }>(
    sql`select count(*)::int as n from audit_log where details::text like '%SECRET%'`,
  );
  expect(rows[0]?.n).toBe(0);
});
