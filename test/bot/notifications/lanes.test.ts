// Two bot processes on one database (a rolling deploy, webhooks behind a load balancer): each runs
// an outbox, both wired by wireBot against the same fake Bot API. The per-chat lease lets one of
// them deliver a chat's entries: every entry arrives once; a dead holder delays the chat only until
// its lease runs out; a stopped one lets the chat go at once; a long batch keeps its lease.
import { eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type WireBotOptions, wireBot } from '../../../src/bot/wiring.ts';
import { recordNotification } from '../../../src/db/outbox-repo.ts';
import { chatLanes, notificationOutbox } from '../../../src/db/schema.ts';
import { upsertUser } from '../../../src/db/users-repo.ts';
import { createTask } from '../../../src/tasks/create-task.ts';
import { buildTaskEvent, type TaskEventType } from '../../../src/tasks/events.ts';
import { people } from '../../support/bot.ts';
import { commandTestThrottle } from '../../support/chat-bot.ts';
import { useTestDatabase } from '../../support/db.ts';
import { type FakeBotApi, startFakeBotApi } from '../../support/fake-bot-api.ts';
import { makeAccounts, recordingJobs } from '../../support/fixtures.ts';
import { botDepsFor } from '../../support/telegram.ts';

const database = useTestDatabase();
let fake: FakeBotApi;
const running: { stop(): Promise<void> }[] = [];
beforeAll(async () => {
  await upsertUser(database().db, { telegramId: people.operator.id, role: 'operator' });
  fake = await startFakeBotApi();
});
afterEach(async () => {
  fake.recover();
  await Promise.all(running.splice(0).map((p) => p.stop()));
});
afterAll(async () => {
  await fake?.close();
});

/** One bot process's outbox (its bot is not polling: the other process's chat is not needed here). */
async function startProcess(options: Pick<WireBotOptions, 'budget' | 'outbox'> = {}) {
  const { outbox } = await wireBot({
    ...botDepsFor(fake, database().db),
    budget: { throttle: commandTestThrottle(), retry: { maxAttempts: 1 } },
    ...options,
    // Only the test wakes the lanes (sweep), and trouble waits long: a lane in it holds its lease.
    outbox: { sweepMs: 600_000, retry: { initialMs: 600_000, maxMs: 600_000 }, ...options.outbox },
  });
  running.push(outbox);
  return outbox;
}

let made = 0;
/** A task in the chat and its event of this type. */
async function eventFor(chatId: number, type: TaskEventType) {
  const { db } = database();
  const accountIds = await makeAccounts(db, 1, `lane${++made}-`);
  const { task } = await createTask(db, recordingJobs(), {
    name: `lane task ${made}`,
    settings: { parallel: 1, delaySeconds: { min: 0, max: 0 }, sessionCapSeconds: 60 },
    accountIds,
    chatId,
    actorId: people.operator.id,
  });
  return buildTaskEvent(db, task, type);
}

/** Such an event, recorded in the outbox (as any process would) without waking a lane. */
async function recordEvent(chatId: number, type: TaskEventType) {
  const event = await eventFor(chatId, type);
  await recordNotification(database().db, { chatId, taskId: event.taskId, jobId: null, event });
  return event.taskId;
}

const sent = (chatId: number) => fake.messages(chatId).length;
const leaseOf = async (chatId: number) =>
  (
    await database()
      .db.select({
        holder: chatLanes.holder,
        expiresAt: chatLanes.expiresAt,
        running: sql<boolean>`${chatLanes.expiresAt} > now()`,
      })
      .from(chatLanes)
      .where(eq(chatLanes.chatId, chatId))
  )[0];
const unsettled = async (chatId: number) =>
  (await database().db.select().from(notificationOutbox).where(eq(notificationOutbox.chatId, chatId))).filter(
    (r) => r.settledAt === null,
  );

describe('two bot processes on one database', () => {
  it('both woken at once: every entry of every chat is sent once', async () => {
    const a = await startProcess();
    const b = await startProcess();
    const chats = [-3101, -3102, -3103, -3104, -3105, 3106];
    for (const chat of chats) await recordEvent(chat, 'completed');
    // One chat with several ends: one digest, once.
    const many = -3107;
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(await recordEvent(many, 'completed'));
    await Promise.all([a.sweep(), b.sweep()]);
    await Promise.all([a.idle(), b.idle()]);
    for (const chat of [...chats, many]) expect({ chat, sent: sent(chat) }).toEqual({ chat, sent: 1 });
    const digest = String(fake.messages(many)[0]?.text);
    for (const id of ids) expect(digest.match(new RegExp(`#${id} `, 'g'))).toHaveLength(1);
    for (const chat of [...chats, many]) expect(await unsettled(chat)).toEqual([]);
    // Both lanes ended: the leases are free for whoever comes next.
    for (const chat of chats) expect((await leaseOf(chat))?.running).toBe(false);
  });

  it('a dead holder (a lease nobody renews) delays the chat until its lease runs out', async () => {
    const a = await startProcess();
    const b = await startProcess();
    const chat = -3201;
    await database().db.insert(chatLanes).values({
      chatId: chat,
      holder: 'dead-host:1:00000000',
      expiresAt: sql`now() + interval '1200 milliseconds'`,
    });
    const { expiresAt } = (await leaseOf(chat))!;
    await recordEvent(chat, 'completed');
    await Promise.all([a.sweep(), b.sweep()]);
    await Promise.all([a.idle(), b.idle()]);
    expect(sent(chat)).toBe(0);
    expect(await unsettled(chat)).toHaveLength(1);
    // The sweeps (every sweepMs in production) find the chat again once the lease has run out.
    await vi.waitFor(
      async () => {
        await Promise.all([a.sweep(), b.sweep()]);
        await Promise.all([a.idle(), b.idle()]);
        expect(sent(chat)).toBe(1);
      },
      { timeout: 10_000, interval: 100 },
    );
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt.getTime());
    expect((await leaseOf(chat))?.holder).not.toBe('dead-host:1:00000000');
    await Promise.all([a.sweep(), b.sweep()]);
    await Promise.all([a.idle(), b.idle()]);
    expect(sent(chat)).toBe(1);
  });

  it('a stopped process lets its chats go: the other delivers on its next wake', async () => {
    const a = await startProcess();
    const b = await startProcess();
    const chat = -3301;
    fake.failAll({ status: 502, chats: [chat] });
    await recordEvent(chat, 'completed');
    await a.sweep();
    // A's lane met the outage and waits to try again, holding the chat's lease.
    await vi.waitFor(
      () => expect(fake.calls().some((c) => c.params.chat_id === chat && c.status === 502)).toBe(true),
      {
        timeout: 10_000,
        interval: 20,
      },
    );
    fake.recover();
    expect((await leaseOf(chat))?.running).toBe(true);
    await b.sweep();
    await b.idle();
    expect(sent(chat)).toBe(0); // A holds it
    await a.stop();
    expect((await leaseOf(chat))?.running).toBe(false);
    await b.sweep();
    await b.idle();
    expect(sent(chat)).toBe(1);
  });

  it('what another process records while one holds the chat is sent by the holder, without a sweep', async () => {
    // Telegram's one message a second per chat: the holder's lane waits for its next slot, leased.
    const paced = { budget: { retry: { maxAttempts: 1 } } };
    const a = await startProcess(paced);
    const b = await startProcess(paced);
    const chat = -3501;
    const [first, second] = [await eventFor(chat, 'completed'), await eventFor(chat, 'completed')];
    await a.record(first, null);
    await fake.waitFor(() => fake.messages(chat)[0]);
    await b.record(second, null);
    await b.idle(); // B's lane found the lease taken and left
    expect(sent(chat)).toBe(1);
    await fake.waitFor(() => fake.messages(chat)[1], { description: 'the second end, from A' });
    await Promise.all([a.idle(), b.idle()]);
    expect(sent(chat)).toBe(2);
    expect(await unsettled(chat)).toEqual([]);
  });

  it('a batch longer than the lease keeps it (renewed while it waits for the chat’s send slots)', async () => {
    // Telegram's one message a second per chat: the batch's two sends take over a second, four leases.
    const slow = { outbox: { leaseMs: 300, sweepMs: 50 }, budget: { retry: { maxAttempts: 1 } } };
    const a = await startProcess(slow);
    const b = await startProcess(slow);
    const chat = -3401;
    await recordEvent(chat, 'started');
    await recordEvent(chat, 'completed');
    await vi.waitFor(() => expect(fake.messages(chat).length).toBeGreaterThanOrEqual(2), {
      timeout: 10_000,
      interval: 20,
    });
    // Both keep sweeping every 50 ms; let a few more sweeps pass, then nothing more may have come.
    await vi.waitFor(async () => expect(await unsettled(chat)).toEqual([]), {
      timeout: 10_000,
      interval: 20,
    });
    await Promise.all([a.sweep(), b.sweep()]);
    await Promise.all([a.idle(), b.idle()]);
    expect(sent(chat)).toBe(2);
    expect(fake.calls('sendMessage').filter((c) => c.params.chat_id === chat)).toHaveLength(2);
  });
});
