// /accounts_export through real telegraf, the fake Bot API and Postgres: a CSV document of the
// fleet with proxy hosts and never a password, which sent back with /accounts_import changes nothing.
import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { accounts, auditLog } from '../../../../src/db/schema.ts';
import { buttonsOf, type ChatBot, people, startChatBot } from '../../../support/chat-bot.ts';
import { useTestDatabase } from '../../../support/db.ts';

const database = useTestDatabase();
// Proxies with credentials are stored only sealed with the key (docs/operations.md).
const KEY = randomBytes(32);
const admin = people.admin;
let bot: ChatBot;

beforeAll(async () => {
  bot = await startChatBot(database(), { secretsKey: KEY });
});
afterAll(async () => {
  await bot?.stop();
});

async function upload(content: string | Uint8Array, caption = '/accounts_import') {
  const before = bot.fake.messages(admin.id).length;
  bot.fake.sendDocument({ from: admin, fileName: 'fleet.csv', content, caption });
  return bot.fake.waitFor(() => bot.fake.messages(admin.id)[before]);
}

/** Sends /accounts_export; the document's bytes and its message. */
async function exportFleet() {
  const before = bot.fake.messages(admin.id).length;
  bot.fake.sendText({ from: admin, text: '/accounts_export' });
  const message = await bot.fake.waitFor(() => bot.fake.messages(admin.id)[before]);
  const file = message.document ? bot.fake.file(message.document.file_id) : undefined;
  return { message, bytes: file?.bytes, name: message.document?.file_name };
}

it('with no accounts says so; an operator is refused', async () => {
  expect((await exportFleet()).message.text).toBe(
    'No accounts yet. An admin adds one with /account_add <username> [proxy_url].',
  );
  expect(await bot.ask(people.operator, '/accounts_export')).toBe(
    'Your role (operator) does not allow that.',
  );
});

it('sends the fleet as CSV without a password, and the file re-imports as unchanged', async () => {
  const file = [
    'username,proxy,tags',
    'alpha,http://u1:Pw-SECRET-1@p1.example.net:8000,spring',
    'beta,p2.example.net:9000:u2:Pw-SECRET-2,"spring,us"',
    'gamma,socks5://p3.example.net:1080,',
    'delta,,',
    '=cmd,p4.example.net:1:u:Pw-SECRET-4,',
  ].join('\n');
  const preview = await upload(file);
  await bot.tap(admin, 'fi:a', preview.message_id);
  const { db } = database();
  await db
    .update(accounts)
    .set({ quarantinedAt: sql`now()`, health: 'captcha', loginEncrypted: Buffer.from('x') })
    .where(eq(accounts.username, 'beta'));

  const { message, bytes, name } = await exportFleet();
  expect(name).toMatch(/^accounts-\d{4}-\d{2}-\d{2}\.csv$/);
  expect(message.caption).toBe(
    'The fleet: 4 accounts (proxy hosts only, no password). It re-imports with /accounts_import.',
  );
  const csv = Buffer.from(bytes!).toString('utf8');
  expect(csv).not.toContain('SECRET');
  expect(csv).not.toContain('u1');
  const lines = csv
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n');
  expect(lines[0]).toBe('username,platform,health,tags,proxy_host,login,quarantined,last_warmed,identity');
  expect(lines.slice(1).map((l) => l.split(',').slice(0, 7).join(','))).toEqual([
    'alpha,,unknown,spring,p1.example.net:8000,no,no',
    'beta,,captcha,spring|us,p2.example.net:9000,yes,yes',
    'delta,,unknown,,,no,no',
    'gamma,,unknown,,p3.example.net:1080,no,no',
  ]);
  const [audit] = await db.select().from(auditLog).where(eq(auditLog.action, 'account.export'));
  expect(audit).toMatchObject({ actorId: admin.id, details: { accounts: 4 } });

  const again = await upload(bytes!);
  expect(String(again.text).split('\n').slice(0, 3)).toEqual([
    '📥 Import preview — nothing is written until you tap Apply.',
    'New: 0 · changed: 0 · unchanged: 4',
    'Nothing to change: every account in the file is as it is already.',
  ]);
  expect(buttonsOf(again)).toEqual([]);
});
