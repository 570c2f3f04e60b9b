// The intake as main.ts runs it (launchBot, long polling, the inbox) against the fake Bot API: a
// chat whose handler waits holds back no other chat and no getUpdates, one chat's updates keep
// their order, stop waits for handlers up to the grace period, and an unfinished update is handled
// by the next launch. A 409 on getUpdates is said once, turns readiness red and is retried.
import { randomBytes } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createBot } from '../../../src/bot/index.ts';
import { createSendBudget } from '../../../src/bot/notifications/send-budget.ts';
import { CONFLICT_MEMORY_MS, createTelegramWatch } from '../../../src/bot/notifications/telegram-watch.ts';
import { botUpdates } from '../../../src/db/schema.ts';
import { upsertUser } from '../../../src/db/users-repo.ts';
import type { Logger } from '../../../src/logger.ts';
import { useTestDatabase } from '../../support/db.ts';
import { type FakeBotApi, startFakeBotApi } from '../../support/fake-bot-api.ts';
import { testLog } from '../../support/jobs.ts';
import { captureLog } from '../../support/log-capture.ts';
import { botDepsFor, launchAgainst } from '../../support/telegram.ts';

const database = useTestDatabase();
const A = { id: 2001, username: 'alice', language_code: 'en' };
const B = { id: 2002, username: 'boris', language_code: 'en' };
const cleanups: (() => Promise<void>)[] = [];
// The inbox is sealed with it: a launch reads what an earlier one stored.
const secretsKey = randomBytes(32);

beforeAll(async () => {
  for (const user of [A, B]) await upsertUser(database().db, { telegramId: user.id, role: 'viewer' });
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(options: { log?: Logger; fake?: FakeBotApi; retryDelayMs?: () => number } = {}) {
  const fake = options.fake ?? (await startFakeBotApi());
  if (!options.fake) cleanups.push(() => fake.close());
  const bot = createBot(botDepsFor(fake, database().db, options.log));
  const watch = createTelegramWatch();
  createSendBudget({ onCall: watch.observe }).apply(bot.telegram);
  const receiving = await launchAgainst(fake, bot, {
    db: database().db,
    log: options.log ?? testLog,
    secretsKey,
    ...(options.retryDelayMs ? { polling: { retryDelayMs: options.retryDelayMs } } : {}),
  });
  watch.launched();
  let stopped = false;
  const stop = async (graceMs?: number) => {
    if (stopped) return;
    stopped = true;
    await receiving.stop(graceMs);
  };
  cleanups.push(() => stop(10_000));
  return { fake, bot, watch, stop };
}

const replyTo = (chat: number) => (call: { params: Record<string, unknown> }) => call.params.chat_id === chat;
const unhandled = () => database().db.select().from(botUpdates).where(isNull(botUpdates.handledAt));

describe('concurrent intake', () => {
  it("a chat whose handler waits holds back neither another chat's reply nor the next getUpdates", async () => {
    const { fake } = await start();
    const held = fake.hold('sendMessage', replyTo(A.id));
    fake.sendText({ from: A, text: '/help' });
    await held.reached;
    fake.sendText({ from: B, text: '/help' });
    await fake.waitFor(() => fake.messages(B.id)[0], { description: "B's reply" });
    expect(fake.messages(A.id)).toEqual([]);
    held.release();
    await fake.waitFor(() => fake.messages(A.id)[0], { description: "A's reply" });
  });

  it("one chat's updates are handled in order: the second waits for the first", async () => {
    const { fake } = await start();
    const held = fake.hold('sendMessage', replyTo(A.id));
    fake.sendText({ from: A, text: '/help' });
    await held.reached;
    fake.sendText({ from: A, text: '/list' });
    // B's reply proves the second update of A was fetched and could have started.
    fake.sendText({ from: B, text: '/help' });
    await fake.waitFor(() => fake.messages(B.id)[0]);
    expect(fake.calls('sendMessage').filter(replyTo(A.id))).toHaveLength(1);
    held.release();
    const [first, second] = await fake.waitFor(() => {
      const got = fake.messages(A.id);
      return got.length === 2 && got;
    });
    expect(String(first?.text)).toContain('Your role'); // /help
    expect(String(second?.text)).not.toContain('Your role'); // /list
  });

  it('stop waits for the handlers in flight, and starts none of the queued ones', async () => {
    const { fake, stop } = await start();
    const held = fake.hold('sendMessage', replyTo(A.id));
    fake.sendText({ from: A, text: '/help' });
    await held.reached;
    fake.sendText({ from: A, text: '/help' });
    await fake.waitFor(() => fake.pendingUpdates() === 0 || undefined);
    let stopped = false;
    const stopping = stop(60_000).then(() => (stopped = true));
    await fake.waitFor(() => fake.calls('getUpdates').at(-1)?.params.limit === 1, {
      description: 'polling to end with its offset confirmation',
    });
    expect(stopped).toBe(false);
    held.release();
    await stopping;
    expect(fake.messages(A.id)).toHaveLength(1);
    // The queued one is left in the inbox for the next start.
    expect(await unhandled()).toHaveLength(1);
    const next = await start({ fake });
    await fake.waitFor(() => fake.messages(A.id).length === 2 || undefined);
    await next.stop();
    expect(await unhandled()).toEqual([]);
  });

  it('a handler still running after the grace period is left unhandled and handled at the next launch', async () => {
    const { fake, stop } = await start();
    const held = fake.hold('sendMessage', replyTo(A.id));
    const update = fake.sendText({ from: A, text: '/help' });
    await held.reached;
    await stop(50);
    const rows = await database()
      .db.select()
      .from(botUpdates)
      .where(and(isNull(botUpdates.handledAt), eq(botUpdates.updateId, update.update_id)));
    expect(rows).toHaveLength(1);
    // The next launch handles it again while the first attempt is still stuck (in a real process
    // it died with the process); only then is the stuck call let go.
    await start({ fake });
    await fake.waitFor(() => fake.messages(A.id)[0]);
    await vi.waitFor(async () => expect(await unhandled()).toEqual([]), { timeout: 10_000, interval: 50 });
    expect(fake.messages(A.id)).toHaveLength(1);
    held.release();
  });
});

describe('a second poller (409 Conflict)', () => {
  it('is said once, turns readiness red, and polling goes on with backoff', async () => {
    const captured = captureLog({ level: 'info' });
    const { log } = captured;
    const fake = await startFakeBotApi();
    cleanups.push(() => fake.close());
    fake.failNext(
      'getUpdates',
      { status: 409, description: 'Conflict: terminated by other getUpdates request' },
      4,
    );
    const since = fake.calls('getUpdates').length;
    const { watch } = await start({ fake, log, retryDelayMs: () => 20 });
    fake.sendText({ from: B, text: '/help' });
    await fake.waitFor(() => fake.messages(B.id)[0]);
    const statuses = fake
      .calls('getUpdates')
      .slice(since)
      .map((c) => c.status);
    expect(statuses.slice(0, 5)).toEqual([409, 409, 409, 409, 200]);
    expect(() => watch.check()).toThrow(
      'another process is polling this bot token (409 Conflict from getUpdates)',
    );
    const conflictLines = captured.lines().filter((l) => /another process is polling/.test(String(l.msg)));
    expect(conflictLines).toHaveLength(1);
    expect(conflictLines[0]).toMatchObject({ level: 50, component: 'polling' });
    expect(captured.lines().some((l) => /long polling resumed/.test(String(l.msg)))).toBe(true);
  });

  it('keeps readiness red for a while after the last 409, then clears', async () => {
    let now = 1_000_000;
    const fake = await startFakeBotApi();
    cleanups.push(() => fake.close());
    const { telegram } = createBot(botDepsFor(fake, database().db));
    const watch = createTelegramWatch(() => now);
    createSendBudget({ onCall: watch.observe }).apply(telegram);
    watch.launched();
    fake.failNext('getUpdates', { status: 409 });
    await expect(telegram.callApi('getUpdates', { timeout: 0 })).rejects.toThrow(/409/);
    expect(() => watch.check()).toThrow(/409 Conflict/);
    await telegram.callApi('getUpdates', { timeout: 0 });
    now += CONFLICT_MEMORY_MS - 1;
    expect(() => watch.check()).toThrow(/409 Conflict/);
    now += 1;
    expect(() => watch.check()).not.toThrow();
  });
});
