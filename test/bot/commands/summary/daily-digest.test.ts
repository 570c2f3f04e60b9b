// The daily summary gives up politely (real telegraf, the fake Bot API, a real database, a driven
// clock ticked minute by minute): a failed summary is tried again after 1, 5, 15 and 60 minutes,
// then not until tomorrow; its chart, once sent, is never sent again; a chat that blocked the bot
// is tried once and then left alone (no claim, no chart) until someone in it writes. The summary
// speaks the language stored with the chat's settings — of whoever last talked to the bot there.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createThrottle } from '../../../../src/bot/notifications/throttle.ts';
import { recordAudit } from '../../../../src/db/audit-repo.ts';
import { accounts, chatSettings, unreachableChats } from '../../../../src/db/schema.ts';
import { touchUser, upsertUser } from '../../../../src/db/users-repo.ts';
import { people } from '../../../support/bot.ts';
import { askIn } from '../../../support/chat-bot.ts';
import { useTestDatabase } from '../../../support/db.ts';
import { type FakeBotApi, startFakeBotApi } from '../../../support/fake-bot-api.ts';
import { recordingJobs } from '../../../support/fixtures.ts';
import { testLog } from '../../../support/jobs.ts';
import { type LaunchedBot, launchWired } from '../../../support/telegram.ts';

const database = useTestDatabase();
let clock = new Date('2026-12-01T08:00:00Z');
let fake: FakeBotApi;
let wired: LaunchedBot;
const group = -100_777;
const legacy = -100_888;

beforeAll(async () => {
  const { db } = database();
  for (const role of ['admin', 'operator', 'viewer'] as const) {
    const { id, username, language_code } = people[role];
    await upsertUser(db, { telegramId: id, role, username });
    await touchUser(db, id, username, language_code);
  }
  // A chat whose settings were stored before its language was: filled at start from the audit log.
  await db.insert(chatSettings).values({ chatId: legacy, digestAt: 600, digestSentOn: '2026-11-30' });
  await recordAudit(db, {
    actorId: people.viewer.id,
    action: 'chat.settings.digest',
    details: { chatId: legacy, at: 600 },
  });
  fake = await startFakeBotApi();
  wired = await launchWired(fake, {
    db,
    jobs: recordingJobs(),
    log: testLog,
    secretsKey: undefined,
    timeZone: 'UTC',
    now: () => clock.getTime(),
    outbox: { sweepMs: 3600_000 },
    budget: {
      throttle: createThrottle({ limits: { chatIntervalMs: 0, marginMs: 0 } }),
      // A refused or failed send fails at once: the summary's own retries are what is tested.
      retry: { maxAttempts: 1 },
    },
    limits: { strict: true },
    digestEveryMs: 0,
  });
});
afterAll(async () => {
  await wired?.stop();
  await fake?.close();
});
beforeEach(() => fake.recover());

const ask = (who: (typeof people)['operator' | 'viewer' | 'admin'], text: string, chat?: number) =>
  askIn(fake, who, text, chat);

/** Summary sends to `chat` (each attempt draws the chart before its sendPhoto). */
const sends = (chat: number, method: 'sendPhoto' | 'sendMessage') =>
  fake.calls(method).filter((c) => c.params.chat_id === chat);

/** Ticks once a minute from `from` until `until`; the clock times at which `method` was called. */
async function tickEachMinute(
  from: string,
  until: string,
  chat: number,
  method: 'sendPhoto' | 'sendMessage',
) {
  const at: string[] = [];
  for (let t = Date.parse(from); t <= Date.parse(until); t += 60_000) {
    clock = new Date(t);
    const before = sends(chat, method).length;
    await wired.digest.tick();
    for (let i = before; i < sends(chat, method).length; i++) at.push(clock.toISOString().slice(11, 16));
  }
  return at;
}

describe('a summary that gives up politely', () => {
  it('the language stored before it was is filled from who last changed the settings', async () => {
    clock = new Date('2026-12-01T10:00:00Z');
    await wired.digest.tick();
    const [row] = await database().db.select().from(chatSettings).where(eq(chatSettings.chatId, legacy));
    expect(row?.language).toBe('ru');
    const sent = fake.messages(legacy).at(-1);
    expect(String(sent?.caption ?? sent?.text)).toMatch(/^Сводка/);
  });

  it('retries after 1, 5, 15 and 60 minutes, then not until tomorrow; the chart goes once', async () => {
    const { db } = database();
    // Twenty accounts to look at: the text outgrows a caption, so the chart goes first, with its totals.
    await db.insert(accounts).values(
      Array.from({ length: 20 }, (_, i) => ({
        username: `needs_a_person_${String(i).padStart(9, '0')}`,
        health: 'captcha' as const,
      })),
    );
    clock = new Date('2026-12-01T08:00:00Z');
    await ask(people.operator, '/digest 09:00', group);
    fake.failAll({
      status: 500,
      description: 'Internal Server Error',
      methods: ['sendMessage'],
      chats: [group],
    });
    expect(
      await tickEachMinute('2026-12-01T08:58:00Z', '2026-12-01T12:00:00Z', group, 'sendMessage'),
    ).toEqual(['09:00', '09:01', '09:06', '09:21', '10:21']);
    expect(sends(group, 'sendPhoto')).toHaveLength(1);
    const [row] = await db.select().from(chatSettings).where(eq(chatSettings.chatId, group));
    expect(row).toMatchObject({ digestTries: 5, digestRetryAt: null, digestChartOn: '2026-12-01' });
    // Tomorrow it comes, whole, at its time.
    fake.recover();
    expect(
      await tickEachMinute('2026-12-02T08:58:00Z', '2026-12-02T09:30:00Z', group, 'sendMessage'),
    ).toEqual(['09:00']);
    expect(sends(group, 'sendPhoto')).toHaveLength(2);
    expect(String(fake.messages(group).at(-1)?.text)).toContain('@needs_a_person_000000000');
    await db.delete(accounts);
  });

  it('a chat that blocked the bot is tried once, then left alone until someone in it writes', async () => {
    const { db } = database();
    clock = new Date('2026-12-03T08:00:00Z');
    await ask(people.admin, '/digest 09:00');
    const chat = people.admin.id;
    const photos = sends(chat, 'sendPhoto').length;
    fake.failAll({ status: 403, description: 'Forbidden: bot was blocked by the user', chats: [chat] });
    expect(await tickEachMinute('2026-12-03T08:59:00Z', '2026-12-03T11:00:00Z', chat, 'sendPhoto')).toEqual([
      '09:00',
    ]);
    expect(await tickEachMinute('2026-12-04T08:59:00Z', '2026-12-04T09:30:00Z', chat, 'sendPhoto')).toEqual(
      [],
    );
    expect(sends(chat, 'sendPhoto')).toHaveLength(photos + 1);
    expect(await db.select().from(unreachableChats)).toMatchObject([{ chatId: chat }]);
    // They unblock the bot and write: today's summary comes at the next tick, once.
    fake.recover();
    clock = new Date('2026-12-04T09:40:00Z');
    await ask(people.admin, '/digest');
    expect(await tickEachMinute('2026-12-04T09:41:00Z', '2026-12-04T10:00:00Z', chat, 'sendPhoto')).toEqual([
      '09:41',
    ]);
    expect(await db.select().from(unreachableChats)).toEqual([]);
  });

  it('speaks the language of whoever last talked to the bot in the chat', async () => {
    clock = new Date('2026-12-05T08:00:00Z');
    await ask(people.operator, '/digest 09:00', group);
    await ask(people.viewer, '/help', group);
    const [row] = await database().db.select().from(chatSettings).where(eq(chatSettings.chatId, group));
    expect(row?.language).toBe('ru');
    await tickEachMinute('2026-12-05T09:00:00Z', '2026-12-05T09:00:00Z', group, 'sendPhoto');
    const last = fake.messages(group).at(-1);
    expect(String(last?.caption ?? last?.text)).toMatch(/^Сводка/);
  });
});
