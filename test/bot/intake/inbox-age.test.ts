// The inbox's age limit (BOT_UPDATE_MAX_AGE) through launchBot, long polling and the fake Bot API,
// dates driven through the fake's updates: an update stored 11 minutes before a restart is not run
// and its sender is told in one line; one stored a minute before runs once; commands that waited
// at Telegram while the bot was away likewise; an old tap is answered as stale. The inbox keeps
// updates sealed, and a "mark handled" write that fails is retried, so nothing runs twice.
import { randomBytes } from 'node:crypto';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createBot } from '../../../src/bot/index.ts';
import { botUpdates } from '../../../src/db/schema.ts';
import { upsertUser } from '../../../src/db/users-repo.ts';
import type { Logger } from '../../../src/logger.ts';
import { useTestDatabase } from '../../support/db.ts';
import { type FakeBotApi, startFakeBotApi } from '../../support/fake-bot-api.ts';
import { recordingJobs } from '../../support/fixtures.ts';
import { testLog } from '../../support/jobs.ts';
import { captureLog } from '../../support/log-capture.ts';
import { launchAgainst } from '../../support/telegram.ts';

const database = useTestDatabase();
const key = randomBytes(32);
const A = { id: 2101, username: 'alice', language_code: 'en' };
const B = { id: 2102, username: 'boris', language_code: 'en' };
const R = { id: 2103, username: 'roman', language_code: 'ru' };
const X = { id: 2109, username: 'xena', language_code: 'en' };
const cleanups: (() => Promise<void>)[] = [];
const secondsAgo = (s: number) => Math.floor(Date.now() / 1000) - s;
const ROLE = 'Your role'; // what /help says: proof that it ran
const NOT_RUN =
  /^\/help was not run: it reached me (\d+)m \d+s after you sent it \(I was away\), and I do not run commands older than 10m\. Send it again if you still want it\.$/;

beforeAll(async () => {
  for (const user of [A, B, R, X]) await upsertUser(database().db, { telegramId: user.id, role: 'viewer' });
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function launch(
  fake: FakeBotApi,
  options: { concurrency?: number; now?: () => number; log?: Logger; markRetryMs?: () => number } = {},
) {
  const log = options.log ?? testLog;
  const bot = createBot({
    token: fake.token,
    apiRoot: fake.apiRoot,
    db: database().db,
    jobs: recordingJobs(),
    log,
    secretsKey: key,
  });
  const receiving = await launchAgainst(fake, bot, {
    db: database().db,
    log,
    secretsKey: key,
    concurrency: options.concurrency ?? 16,
    inbox: {
      ...(options.now ? { now: options.now } : {}),
      ...(options.markRetryMs ? { markRetryMs: options.markRetryMs } : {}),
    },
  });
  let stopped = false;
  const stop = async (graceMs = 10_000) => {
    if (stopped) return;
    stopped = true;
    await receiving.stop(graceMs);
  };
  cleanups.push(() => stop());
  return { stop };
}

async function newFake() {
  const fake = await startFakeBotApi();
  cleanups.push(() => fake.close());
  return fake;
}

const texts = (fake: FakeBotApi, chat: number) => fake.messages(chat).map((m) => String(m.text));
const rowsOf = (ids: number[]) =>
  database().db.select().from(botUpdates).where(inArray(botUpdates.updateId, ids));
/** Waits (on the database: no event to wait on there) until every one of these updates is handled. */
const untilHandled = (ids: number[]) =>
  vi.waitFor(
    async () => {
      const rows = await rowsOf(ids);
      expect(rows.map((row) => row.handledAt !== null)).toEqual(ids.map(() => true));
    },
    { timeout: 10_000, interval: 20 },
  );

describe('an update stored before a restart', () => {
  it('11 minutes old is not run and its sender is told; a minute old runs once', async () => {
    const fake = await newFake();
    // One lane at a time: X's held /help keeps A's and B's updates stored and waiting.
    const first = await launch(fake, { concurrency: 1 });
    const held = fake.hold('sendMessage', (call) => call.params.chat_id === X.id);
    fake.sendText({ from: X, text: '/help' });
    await held.reached;
    const old = fake.sendText({ from: A, text: '/help', date: secondsAgo(11 * 60) }).update_id;
    const recent = fake.sendText({ from: B, text: '/help', date: secondsAgo(60) }).update_id;
    await vi.waitFor(async () => expect(await rowsOf([old, recent])).toHaveLength(2), {
      timeout: 10_000,
      interval: 20,
    });
    await first.stop(50);
    // Stored sealed: nothing of the message is readable in the inbox.
    const stored = await rowsOf([old, recent]);
    expect(stored.map((r) => [r.handledAt, r.payload, r.payloadEncrypted === null])).toEqual([
      [null, null, false],
      [null, null, false],
    ]);
    expect(JSON.stringify(stored)).not.toMatch(/help|alice|boris/);

    await launch(fake);
    const [told] = await fake.waitFor(() => fake.messages(A.id).length > 0 && texts(fake, A.id));
    expect(told).toMatch(NOT_RUN);
    expect(Number(NOT_RUN.exec(told!)![1])).toBeGreaterThanOrEqual(11);
    await fake.waitFor(() => fake.messages(B.id).length > 0 || undefined);
    await untilHandled([old, recent]);
    held.release();
    expect(texts(fake, A.id)).toEqual([told]);
    expect(texts(fake, B.id)).toHaveLength(1);
    expect(texts(fake, B.id)[0]).toContain(ROLE);
    // Handled rows keep nothing but their ids.
    expect((await rowsOf([old, recent])).map((r) => r.payloadEncrypted)).toEqual([null, null]);
  });
});

describe('updates that waited at Telegram while the bot was away', () => {
  it('an old command or message is answered in one line, an old tap as stale; a recent one runs', async () => {
    const fake = await newFake();
    const group = -2200;
    // Pushed while no bot runs: the first getUpdates hands them over in update order.
    const tap = fake.tapButton({ from: A, message_id: 1, data: 't:1' }); // no date of its own…
    fake.sendText({ from: A, text: '/help@warmup_test_bot all of it', date: secondsAgo(3 * 3600) }); // …and this one is after it
    fake.sendText({ from: R, text: '/help', date: secondsAgo(20 * 60) });
    fake.sendText({ from: R, text: 'hello?', date: secondsAgo(20 * 60) });
    fake.sendText({ from: B, text: 'chatter', chat: group, date: secondsAgo(20 * 60) });
    fake.sendText({ from: B, text: '/help', date: secondsAgo(30) });
    const login = fake.sendDocument({
      from: X,
      fileName: 'x.json',
      content: '{"cookies": []}',
      caption: '/login xena',
      date: secondsAgo(15 * 60),
    });
    // The same under the command's older name.
    const olderName = fake.sendDocument({
      from: X,
      fileName: 'x.json',
      content: '{"cookies": []}',
      caption: '/session xena',
      date: secondsAgo(15 * 60),
    });
    await launch(fake);
    const answer = await fake.waitFor(() => fake.callbackAnswer(tap));
    expect(answer.text).toBe(
      'That tap reached me too late (I was away), so nothing was done. Tap the button again.',
    );
    const [toA] = await fake.waitFor(() => fake.messages(A.id).length > 0 && texts(fake, A.id));
    // The command's name only: its arguments may hold a secret.
    expect(toA).toMatch(/^\/help was not run: it reached me 3h 0\dm after you sent it/);
    const toR = await fake.waitFor(() => fake.messages(R.id).length === 2 && texts(fake, R.id));
    expect(toR[0]).toMatch(
      /^Команда \/help не выполнена: она дошла до меня через 20 мин \d+ с после отправки/,
    );
    expect(toR[1]).toMatch(/^Сообщение не обработано: оно дошло до меня через 20 мин \d+ с после отправки/);
    const [toB] = await fake.waitFor(() => fake.messages(B.id).length > 0 && texts(fake, B.id));
    expect(toB).toContain(ROLE);
    // An old saved login is not attached, and its file leaves the chat as a handled one would.
    const toX = await fake.waitFor(() => fake.messages(X.id).length === 2 && texts(fake, X.id));
    expect(toX[0]).toMatch(/^\/login was not run: it reached me 15m/);
    expect(toX[1]).toMatch(/^\/session was not run: it reached me 15m/);
    for (const sent of [login, olderName]) {
      const messageId = (sent.message as { message_id: number }).message_id;
      expect(fake.message(X.id, messageId)?.deleted).toBe(true);
    }
    // Group chatter that was no command gets nothing, old or not.
    await vi.waitFor(
      async () =>
        expect(await database().db.select().from(botUpdates).where(isNull(botUpdates.handledAt))).toEqual([]),
      { timeout: 10_000, interval: 20 },
    );
    expect(fake.messages(group)).toEqual([]);
    expect(texts(fake, A.id)).toHaveLength(1);
  });

  it('a tap with no later update is as old as its storing says (driven clock)', async () => {
    const fake = await newFake();
    await launch(fake, { now: () => Date.now() + 11 * 60_000 });
    const tap = fake.tapButton({ from: A, message_id: 1, data: 't:1' });
    const answer = await fake.waitFor(() => fake.callbackAnswer(tap));
    expect(answer.text).toBe(
      'That tap reached me too late (I was away), so nothing was done. Tap the button again.',
    );
  });
});

describe('a failed "mark handled" write', () => {
  it('is retried until it lands, and the update is not handled twice', async () => {
    const { db } = database();
    const captured = captureLog({ level: 'info' });
    const { log } = captured;
    await db.execute(sql`
      create function refuse_handled() returns trigger language plpgsql as $$
      begin raise exception 'the inbox is read-only today' using errcode = 'P0001'; end $$`);
    await db.execute(sql`create trigger refuse_handled before update on bot_updates for each row
      when (old.handled_at is null and new.handled_at is not null) execute function refuse_handled()`);
    const dropTrigger = async () => {
      await db.execute(sql`drop trigger if exists refuse_handled on bot_updates`);
      await db.execute(sql`drop function if exists refuse_handled()`);
    };
    cleanups.push(dropTrigger);
    const fake = await newFake();
    const first = await launch(fake, { log, markRetryMs: () => 50 });
    const id = fake.sendText({ from: A, text: '/help' }).update_id;
    await fake.waitFor(() => fake.messages(A.id).length > 0 || undefined);
    await vi.waitFor(
      () =>
        expect(captured.lines()).toContainEqual(
          expect.objectContaining({ msg: 'could not mark updates handled; retrying', attempt: 1 }),
        ),
      { timeout: 10_000, interval: 20 },
    );
    const [row] = await db.select().from(botUpdates).where(eq(botUpdates.updateId, id));
    expect(row?.handledAt).toBeNull();
    await dropTrigger();
    await untilHandled([id]);
    await first.stop();
    // The next launch finds nothing to handle again: A's next /help is A's second reply, not third.
    await launch(fake);
    fake.sendText({ from: A, text: '/help' });
    const replies = await fake.waitFor(() => fake.messages(A.id).length >= 2 && texts(fake, A.id));
    expect(
      await db
        .select()
        .from(botUpdates)
        .where(and(isNull(botUpdates.handledAt), eq(botUpdates.updateId, id))),
    ).toEqual([]);
    expect(replies).toHaveLength(2);
    expect(replies.every((text) => text.includes(ROLE))).toBe(true);
  });
});
