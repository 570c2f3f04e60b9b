// The paged /accounts through real telegraf, the fake Bot API and Postgres: ◀ ▶ walk every account
// once, a count per health heads the page, health and tag buttons filter, and at a thousand
// accounts with the longest names, tags and proxy hosts every page still holds its 20 accounts
// within Telegram's limits (4096 characters, 64-byte buttons, far below 100 buttons).
import { randomBytes } from 'node:crypto';
import { eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertFleetAccounts, storeAccountProxies } from '../../../../src/db/fleet-repo.ts';
import { accounts } from '../../../../src/db/schema.ts';
import { buttonsOf, type ChatBot, people, startChatBot } from '../../../support/chat-bot.ts';
import { useTestDatabase } from '../../../support/db.ts';
import type { FakeMessage } from '../../../support/fake-bot-api.ts';

const database = useTestDatabase();
// Proxies with credentials are stored only sealed with the key (docs/operations.md).
const KEY = randomBytes(32);
let bot: ChatBot;
const viewer = people.viewer;
const op = people.operator;

beforeAll(async () => {
  bot = await startChatBot(database(), { secretsKey: KEY });
});
afterAll(async () => {
  await bot?.stop();
});

async function addAccounts(names: string[], tags: (i: number) => string[] = () => []) {
  const rows = names.map((username, i) => ({
    username,
    tags: tags(i),
    platform: null,
    identity: null,
    createdBy: null,
  }));
  return insertFleetAccounts(database().db, rows);
}

/** The latest message of the chat, its text and buttons. */
const last = (chat: number): FakeMessage => bot.fake.messages(chat).at(-1)!;
const namesIn = (text: string) => [...text.matchAll(/@([\w.]+)/g)].map((m) => m[1]!);
const button = (m: FakeMessage, text: string) => buttonsOf(m).find(([label]) => label === text)?.[1];

/** Taps a button of the message and returns the message as edited (the tap is answered after the edit). */
async function tapOn(m: FakeMessage, data: string, from = op): Promise<FakeMessage> {
  await bot.tap(from, data, m.message_id);
  return bot.fake.message(from.id, m.message_id)!;
}

describe('/accounts, paged', () => {
  const names = Array.from({ length: 45 }, (_, i) => `page${String(i).padStart(2, '0')}`);

  beforeAll(async () => {
    await addAccounts(names, (i) => (i % 3 === 0 ? ['spring'] : i % 3 === 1 ? ['spring', 'us'] : []));
    await database()
      .db.update(accounts)
      .set({ health: 'captcha' })
      .where(inArray(accounts.username, names.slice(0, 5)));
    await database()
      .db.update(accounts)
      .set({ health: 'ok' })
      .where(inArray(accounts.username, names.slice(5, 15)));
  });

  it('walks every account once with ▶, 20 a page, a count per health on top', async () => {
    await bot.ask(op, '/accounts');
    let m = last(op.id);
    const lines = String(m.text).split('\n');
    expect(lines[0]).toBe('Accounts: 45 · page 1 of 3');
    expect(lines[1]).toBe('❔ not checked yet 30 · ✅ ok 10 · 🧩 stuck at a captcha 5');
    const seen = [...namesIn(String(m.text))];
    expect(seen).toHaveLength(20);
    for (const page of [2, 3]) {
      m = await tapOn(m, button(m, '▶')!);
      expect(String(m.text).split('\n')[0]).toBe(`Accounts: 45 · page ${page} of 3`);
      seen.push(...namesIn(String(m.text)));
    }
    expect(button(m, '▶')).toBeUndefined();
    expect(seen).toEqual(names);
    // And back.
    m = await tapOn(m, button(m, '◀')!);
    expect(namesIn(String(m.text))).toEqual(names.slice(20, 40));
  });

  it('filters by health and by tag, with buttons and as arguments; a typed page past the end shows the last', async () => {
    await bot.ask(op, '/accounts');
    let m = last(op.id);
    expect(buttonsOf(m).map(([label]) => label)).toEqual([
      '▶',
      '• All 45',
      '❔ 30',
      '✅ 10',
      '🧩 5',
      '#spring 30',
      '#us 15',
    ]);
    m = await tapOn(m, button(m, '🧩 5')!);
    expect(String(m.text).split('\n')[0]).toBe('Accounts (stuck at a captcha): 5');
    expect(namesIn(String(m.text))).toEqual(names.slice(0, 5));
    m = await tapOn(m, button(m, '#us 15')!);
    // Within the tag, the counts per health are the tag's.
    expect(String(m.text).split('\n').slice(0, 2)).toEqual([
      'Accounts (stuck at a captcha · #us): 2',
      '❔ not checked yet 10 · ✅ ok 3 · 🧩 stuck at a captcha 2',
    ]);
    expect(namesIn(String(m.text))).toEqual(['page01', 'page04']);
    // The chosen tag's button takes the filter off again.
    m = await tapOn(m, button(m, '• #us 15')!);
    expect(String(m.text).split('\n')[0]).toBe('Accounts (stuck at a captcha): 5');

    const typed = await bot.ask(viewer, '/accounts tag:Spring ok 9');
    expect(typed.split('\n')[0]).toBe('Аккаунты (в порядке · #spring): 6');
    expect(namesIn(typed)).toEqual(['page06', 'page07', 'page09', 'page10', 'page12', 'page13']);
    expect(await bot.ask(op, '/accounts tag:nobody')).toBe(
      'Accounts (#nobody): 0\n\nNo account matches this filter.',
    );
  });

  it('bad input gets one sentence; a forged button is refused', async () => {
    expect(await bot.ask(op, '/accounts sideways')).toBe(
      '"sideways" is not a health, a tag:… or a page number. Usage: /accounts [health] [tag:x] [page] — e.g. /accounts logged_out tag:spring 2',
    );
    expect(await bot.ask(op, '/accounts http://u:p@h:1')).toContain('"[link not shown]" is not a health');
    await bot.ask(op, '/accounts');
    const m = last(op.id);
    for (const forged of ['fl:sleepy::1', 'fl::Spring:1', 'fl:::0', 'fl:::1:x'])
      expect(await bot.tap(op, forged, m.message_id)).toBe('That button is not valid. Send /accounts again.');
  });
});

describe('/accounts at a thousand accounts', () => {
  it('keeps every page within Telegram’s limits, each with its 20 accounts', async () => {
    const { db } = database();
    await db.delete(accounts);
    const tags = (i: number) =>
      Array.from({ length: 10 }, (_, k) => `${String(k).repeat(2)}-${'t'.repeat(26)}-${(i + k) % 40}`);
    const inserted = await addAccounts(
      Array.from({ length: 1000 }, (_, i) => `${'x'.repeat(19)}${String(i).padStart(5, '0')}`),
      tags,
    );
    const host = `${'very-long-proxy-host-name.'.repeat(8)}example.net`;
    await storeAccountProxies(
      db,
      inserted.map((r) => ({ accountId: r.id, proxyUrl: `http://user:pw@${host}:8080` })),
      { secretsKey: KEY },
    );
    await db
      .update(accounts)
      .set({ health: 'captcha', quarantinedAt: sql`now()`, lastWarmedAt: new Date('2026-11-29T07:00:00Z') })
      .where(sql`${accounts.id} % 2 = 0`);
    for (const who of [op, viewer]) {
      const seen = new Set<string>();
      let page = 1;
      for (;;) {
        const text = await bot.ask(who, `/accounts ${page}`);
        const m = last(who.id);
        expect(text.length).toBeLessThanOrEqual(4096);
        const names = namesIn(text);
        expect(names.length).toBe(20);
        for (const name of names) seen.add(name);
        const buttons = buttonsOf(m);
        expect(buttons.length).toBeLessThan(100);
        for (const [, data] of buttons) expect(Buffer.byteLength(data ?? '')).toBeLessThanOrEqual(64);
        if (page === 1) expect(text).toContain(who === op ? '376 more tags than buttons' : 'Меток больше');
        if (page === 50) break;
        // The long way is walked by typed pages; the buttons are the same codec.
        page = page === 3 ? 48 : page + 1;
      }
      expect(seen.size).toBe(6 * 20);
      expect(allTexts(who)).not.toContain('pw@');
    }
    expect(await db.select().from(accounts).where(eq(accounts.username, 'nobody'))).toEqual([]);
  }, 120_000);
});

const allTexts = (who: { id: number }) =>
  bot.fake
    .messages(who.id)
    .map((m) => String(m.text))
    .join('\n');
