// Per-chat settings end to end (real telegraf, the fake Bot API, a real database, a driven clock):
// /tz moves /task's times into the chat's zone; quiet hours hold finals until the window ends and
// deliver them folded, while a failure that pauses an account comes at once; the daily summary
// arrives once a day at its local time across Berlin's DST changes, with two processes ticking,
// and names live programmes with their day in their own zone.
import { randomUUID } from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { type DailyDigest, startDailyDigest } from '../../../../src/bot/commands/summary/daily-digest.ts';
import { createThrottle } from '../../../../src/bot/notifications/throttle.ts';
import { accounts, notificationOutbox, programmes, runs, tasks } from '../../../../src/db/schema.ts';
import { buildTaskEvent } from '../../../../src/tasks/events.ts';
import { people } from '../../../support/bot.ts';
import { useChatBot } from '../../../support/chat-bot.ts';
import { useTestDatabase } from '../../../support/db.ts';
import { makeTask } from '../../../support/fixtures.ts';
import { testLog } from '../../../support/jobs.ts';

const database = useTestDatabase();
let clock = new Date('2026-12-01T12:00:00Z');
const bot = useChatBot(database, {
  timeZone: 'UTC',
  now: () => clock.getTime(),
  wiring: {
    outbox: { sweepMs: 3600_000 },
    // Telegram's pace (a second per chat) would only make this file slow.
    budget: { throttle: createThrottle({ limits: { chatIntervalMs: 10, marginMs: 0 } }) },
    digestEveryMs: 0,
  },
});

const ask = (who: (typeof people)['operator' | 'viewer' | 'admin'], text: string) => bot.ask(who, text);

/** A finished task reporting to `chatId` whose failed runs ended for `reason`; its event recorded. */
async function finishedTask(chatId: number, statuses: string[], reason: string) {
  const { db } = database();
  const { task, runs: made } = await makeTask(db, statuses);
  await db.update(tasks).set({ chatId }).where(eq(tasks.id, task.id));
  const failed = made.filter((r) => r.status === 'failed').map((r) => r.id);
  if (failed.length) await db.update(runs).set({ reasonCode: reason }).where(inArray(runs.id, failed));
  const [row] = await db.select().from(tasks).where(eq(tasks.id, task.id));
  const event = await buildTaskEvent(db, row!, statuses.includes('failed') ? 'failed' : 'completed');
  await bot.wired.outbox.record(event, randomUUID());
  return row!;
}

const heldOf = async (taskId: number) =>
  (await database().db.select().from(notificationOutbox).where(eq(notificationOutbox.taskId, taskId)))[0]!;

describe('/tz', () => {
  it('shows /task in the chat’s own zone, and back in the team’s after /tz reset', async () => {
    const { task } = await makeTask(database().db, ['completed']);
    expect(await ask(people.operator, `/task ${task.id}`)).toMatch(/\d\d:\d\d UTC/);
    expect(await ask(people.operator, '/tz europe/moscow')).toContain('Europe/Moscow');
    expect(await ask(people.operator, `/task ${task.id}`)).toMatch(/\d\d:\d\d GMT\+3/);
    expect(await ask(people.operator, '/tz')).toContain('Europe/Moscow');
    expect(await ask(people.operator, '/tz reset')).toContain('UTC');
    expect(await ask(people.operator, `/task ${task.id}`)).toMatch(/\d\d:\d\d UTC/);
  });

  it('answers bad input with one short sentence, and lets only operators change it', async () => {
    expect(await ask(people.operator, '/tz Mars/Base')).toBe(
      '"Mars/Base" is not a timezone I know. Use a name such as Europe/Moscow or Asia/Tbilisi, or /tz reset.',
    );
    expect(await ask(people.operator, '/quiet 25:00-08:00')).toMatch(/^Usage: \/quiet 23:00-08:00/);
    expect(await ask(people.operator, '/quiet 08:00-08:00')).toMatch(/^Usage: \/quiet/);
    expect(await ask(people.operator, '/quiet 23:00-08:00 urgent=maybe')).toMatch(/^Usage: \/quiet/);
    expect(await ask(people.operator, '/digest 9')).toBe(
      'Usage: /digest 09:00 (a time HH:MM), or /digest off.',
    );
    expect(await ask(people.operator, '/stats 91')).toMatch(/^Usage: \/stats \[days\]/);
    expect(await ask(people.operator, '/stats zero')).toMatch(/^Usage: \/stats \[days\]/);
    expect(await ask(people.viewer, '/quiet off')).toContain('(наблюдатель)');
    expect(await ask(people.viewer, '/quiet')).toBe(
      'Тихих часов в этом чате нет. Задать: /quiet 23:00-08:00.',
    );
  });
});

describe('quiet hours', () => {
  const chat = people.operator.id;

  it('holds finals until the window ends in the chat’s zone, then sends them as one message', async () => {
    clock = new Date('2026-12-01T20:30:00Z'); // 23:30 in Moscow
    await ask(people.operator, '/tz Europe/Moscow');
    expect(await ask(people.operator, '/quiet 23:00-08:00')).toContain('23:00–08:00 (Europe/Moscow)');
    const before = bot.fake.messages(chat).length;
    const a = await finishedTask(chat, ['completed'], 'none');
    const b = await finishedTask(chat, ['completed', 'failed'], 'navigation_timeout');
    expect((await heldOf(a.id)).heldUntil?.toISOString()).toBe('2026-12-02T05:00:00.000Z');
    expect((await heldOf(b.id)).heldUntil?.toISOString()).toBe('2026-12-02T05:00:00.000Z');

    clock = new Date('2026-12-02T04:59:00Z');
    await bot.wired.outbox.sweep();
    await bot.wired.outbox.idle();
    expect(bot.fake.messages(chat)).toHaveLength(before);

    clock = new Date('2026-12-02T05:00:30Z');
    await bot.wired.outbox.sweep();
    const digest = await bot.fake.waitFor(() => bot.fake.messages(chat)[before], {
      description: 'the morning digest',
    });
    await bot.wired.outbox.idle();
    expect(bot.fake.messages(chat)).toHaveLength(before + 1);
    expect(String(digest.text)).toMatch(/^2 tasks finished:/);
    expect(String(digest.text)).toContain(`#${a.id}`);
    expect(String(digest.text)).toContain(`#${b.id}`);
    expect((await heldOf(b.id)).outcome).toBe('sent');
  });

  it('sends a failure that pauses an account at once, unless the chat said urgent=off', async () => {
    clock = new Date('2026-12-02T21:00:00Z'); // midnight in Moscow
    const before = bot.fake.messages(chat).length;
    const urgent = await finishedTask(chat, ['failed'], 'captcha');
    expect((await heldOf(urgent.id)).heldUntil).toBeNull();
    const sent = await bot.fake.waitFor(() => bot.fake.messages(chat)[before], {
      description: 'the urgent failure',
    });
    expect(String(sent.text)).toContain(`#${urgent.id}`);

    expect(await ask(people.operator, '/quiet 23:00-08:00 urgent=off')).not.toContain('at once');
    const quiet = await finishedTask(chat, ['failed'], 'captcha');
    expect((await heldOf(quiet.id)).heldUntil?.toISOString()).toBe('2026-12-03T05:00:00.000Z');
    expect(await ask(people.operator, '/quiet')).toContain('everything waits');
    expect(await ask(people.operator, '/quiet off')).toContain('off');
    const after = await finishedTask(chat, ['failed'], 'navigation_timeout');
    expect((await heldOf(after.id)).heldUntil).toBeNull();
    await bot.wired.outbox.idle();
  });
});

describe('daily summary', () => {
  const chat = people.admin.id;

  /** Ticks two "processes" together every 15 minutes until `until`; returns when photos arrived. */
  async function runClock(from: string, until: string, a: DailyDigest, b: DailyDigest) {
    const arrivals: string[] = [];
    for (let at = Date.parse(from); at <= Date.parse(until); at += 15 * 60_000) {
      clock = new Date(at);
      const before = bot.fake.messages(chat).filter((m) => m.photo).length;
      await Promise.all([a.tick(), b.tick()]);
      const after = bot.fake.messages(chat).filter((m) => m.photo).length;
      for (let i = before; i < after; i++) arrivals.push(clock.toISOString());
    }
    return arrivals;
  }

  it('comes once a day at its local time across both DST changes, with two processes ticking', async () => {
    clock = new Date('2027-03-26T12:00:00Z');
    await ask(people.admin, '/tz Europe/Berlin');
    // Set after today's 02:30 has passed: the first one comes tomorrow, not now.
    expect(await ask(people.admin, '/digest 02:30')).toBe(
      'A daily summary will come at 02:30 (Europe/Berlin).',
    );
    const second = startDailyDigest({
      db: database().db,
      telegram: bot.wired.bot.telegram,
      log: testLog,
      timeZone: 'UTC',
      now: () => clock,
      everyMs: 0,
    });
    try {
      // Spring: 02:30 does not exist on 28 March, so that day's comes at 03:00 CEST (01:00 UTC).
      expect(
        await runClock('2027-03-26T12:00:00Z', '2027-03-29T12:00:00Z', bot.wired.digest, second),
      ).toEqual(['2027-03-27T01:30:00.000Z', '2027-03-28T01:00:00.000Z', '2027-03-29T00:30:00.000Z']);
      // A day the bot was down at that time: it comes late, once (here at the first tick).
      clock = new Date('2027-10-30T12:00:00Z');
      expect(await Promise.all([bot.wired.digest.tick(), second.tick()])).toSatisfy(([x, y]) => x + y === 1);
      // Autumn: 02:30 comes twice on 31 October; the summary once.
      expect(
        await runClock('2027-10-30T23:00:00Z', '2027-11-01T03:00:00Z', bot.wired.digest, second),
      ).toEqual(['2027-10-31T00:30:00.000Z', '2027-11-01T01:30:00.000Z']);
    } finally {
      await second.stop();
    }
    const photo = bot.fake
      .messages(chat)
      .filter((m) => m.photo)
      .at(-1)!;
    expect(String(photo.caption)).toContain('Daily summary');
    const png = bot.fake.file(photo.photo![0]!.file_id)!.bytes;
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(await ask(people.admin, '/digest off')).toBe('Daily summary off.');
    clock = new Date('2027-11-02T03:00:00Z');
    await bot.wired.digest.tick();
    expect(bot.fake.messages(chat).filter((m) => m.photo)).toHaveLength(6);
  });

  it('names live programmes with their day in their own zone, not the chat’s', async () => {
    const { db } = database();
    await db.insert(programmes).values({
      name: 'spring',
      ramp: Array.from({ length: 14 }, () => 'light'),
      windows: [{ from: 600, until: 780 }],
      timeZone: 'Europe/Moscow',
      sessionsMin: 1,
      sessionsMax: 2,
      minGapMinutes: 60,
      startDate: '2027-11-01',
      seed: 1,
    });
    // 23:30 on 3 November in Berlin (the chat's zone) is already 4 November in Moscow: day 4.
    clock = new Date('2027-11-03T22:00:00Z');
    await ask(people.admin, '/tz Europe/Berlin');
    await ask(people.admin, '/digest 23:30');
    clock = new Date('2027-11-03T22:30:00Z');
    const before = bot.fake.messages(chat).length;
    await bot.wired.digest.tick();
    await bot.fake.waitFor(() => bot.fake.messages(chat).length > before, { description: 'the summary' });
    const words = bot.fake
      .messages(chat)
      .slice(before)
      .map((m) => String(m.caption ?? m.text ?? ''))
      .join('\n');
    expect(words).toContain('• spring — day 4/14, running');
    await ask(people.admin, '/digest off');
    await db.delete(programmes);
  });

  it('/stats sends the chart with the numbers of the same query', async () => {
    const { db } = database();
    await db.delete(runs);
    await makeTask(db, ['completed', 'completed', 'failed']);
    clock = new Date();
    const before = bot.fake.messages(people.viewer.id).length;
    bot.fake.sendText({ from: people.viewer, chat: people.viewer.id, text: '/stats 7' });
    const sent = await bot.fake.waitFor(() => bot.fake.messages(people.viewer.id)[before], {
      description: '/stats',
    });
    expect(sent.photo?.[0]?.width).toBe(960);
    expect(String(sent.caption)).toMatch(
      /^За последние 7 дней: выполнено 2 сеанса, с ошибкой 1\.\n {2}• другое: 1$/,
    );
  });

  it('/stats splits its numbers by platform once the accounts are on several', async () => {
    const { db } = database();
    await db.delete(runs);
    const { runs: made } = await makeTask(db, ['completed', 'completed', 'failed']);
    await db.update(accounts).set({ platform: 'instagram' }).where(eq(accounts.id, made[0]!.accountId));
    clock = new Date();
    const before = bot.fake.messages(people.operator.id).length;
    bot.fake.sendText({ from: people.operator, chat: people.operator.id, text: '/stats 7' });
    const sent = await bot.fake.waitFor(() => bot.fake.messages(people.operator.id)[before], {
      description: '/stats',
    });
    // The accounts naming no platform count as the default one's (tiktok here).
    expect(String(sent.caption)).toContain('By platform: instagram 1 ok, 0 failed; tiktok 1 ok, 1 failed');
  });
});
