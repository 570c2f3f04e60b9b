// Delivery item by item, end to end (events through pg-boss into the outbox, out through real
// telegraf to the fake Bot API): a vanished live message, a refused photo, a chat that blocked the
// bot, a late start — none of them drops another notification or reopens a finished task.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { auditLog, notificationOutbox } from '../../../src/db/schema.ts';
import { findTask } from '../../../src/db/tasks-repo.ts';
import { createMetrics } from '../../../src/http/metrics.ts';
import { type OpsServer, startOpsServer } from '../../../src/http/server.ts';
import { createTaskJobs } from '../../../src/jobs/task-jobs.ts';
import { createTask } from '../../../src/tasks/create-task.ts';
import { buildTaskEvent } from '../../../src/tasks/events.ts';
import { beginRun, finishRun } from '../../../src/tasks/run-session.ts';
import { people, texts, useBotHarness } from '../../support/bot.ts';
import { useTestDatabase } from '../../support/db.ts';
import { makeAccounts } from '../../support/fixtures.ts';
import { testLog } from '../../support/jobs.ts';
import { tinyPng } from '../../support/png.ts';

const database = useTestDatabase();
const h = useBotHarness(database);
let ops: OpsServer;
beforeAll(async () => {
  ops = await startOpsServer({ host: '127.0.0.1', port: 0, log: testLog, metrics: createMetrics(testLog) });
  ops.attach({ outbox: h.outbox });
});
afterAll(async () => {
  await ops?.close();
});

const settings = { parallel: 4, delaySeconds: { min: 0, max: 0 }, sessionCapSeconds: 60 };
const jobs = () => createTaskJobs(h.boss.boss);

async function newTask(prefix: string, chatId: number, n = 1) {
  const accountIds = await makeAccounts(database().db, n, prefix);
  const made = await createTask(database().db, jobs(), {
    name: `${prefix} task`,
    settings,
    accountIds,
    chatId,
    actorId: people.operator.id,
  });
  const refs = made.runs.map((r) => ({ runId: r.id, runNumber: r.runNumber }));
  return { task: made.task, refs };
}

const begin = (ref: { runId: number; runNumber: number }) => beginRun(database().db, jobs(), ref);
const complete = (ref: { runId: number; runNumber: number }) =>
  finishRun(database().db, jobs(), ref, { kind: 'completed', counters: {}, cappedByTime: false });

/** The task's end message: the newest message whose first line says it ended (the live one is older). */
const finalOf = (chatId: number, taskId: number) =>
  h.fake.waitFor(
    () =>
      h.fake
        .messages(chatId)
        .filter((m) =>
          new RegExp(`#${taskId} .* — (completed|failed)`).test(String(m.text ?? m.caption).split('\n')[0]!),
        )
        .at(-1),
    { description: `the final of task ${taskId}` },
  );

/** Waits until the outbox holds the chat's entries and all of them are settled; returns them. */
async function settled(chatId: number, count: number) {
  return vi.waitFor(
    async () => {
      const rows = await database()
        .db.select()
        .from(notificationOutbox)
        .where(eq(notificationOutbox.chatId, chatId))
        .orderBy(notificationOutbox.id);
      expect(rows).toHaveLength(count);
      expect(rows.filter((r) => r.settledAt === null)).toEqual([]);
      return rows;
    },
    { timeout: 20_000, interval: 50 },
  );
}

async function deleteAsUser(chatId: number, messageId: number) {
  const res = await fetch(`${h.fake.apiRoot}/bot${h.fake.token}/deleteMessage`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ chat_id: chatId, message_id: messageId }),
  });
  expect(res.ok).toBe(true);
}

describe('one refused item never drops another', () => {
  it('a deleted live message: other tasks of the chat still arrive, and so does its own final', async () => {
    const chat = -2001;
    const a = await newTask('gone-live', chat, 2);
    await begin(a.refs[0]!);
    const live = await h.fake.waitFor(() =>
      h.fake.messages(chat).find((m) => String(m.text).includes(`#${a.task.id} `)),
    );
    await deleteAsUser(chat, live.message_id);
    // Progress of A now meets "message to edit not found".
    const running = (await findTask(database().db, a.task.id))!;
    await jobs().publish(database().db, await buildTaskEvent(database().db, running, 'progress'));
    // The vanished message is forgotten and a new live message takes its place.
    await h.fake.waitFor(() =>
      h.fake
        .messages(chat)
        .find((m) => m.message_id > live.message_id && String(m.text).includes(`#${a.task.id} `)),
    );
    const b = await newTask('after-gone', chat);
    await begin(b.refs[0]!);
    await complete(b.refs[0]!);
    await finalOf(chat, b.task.id);
    for (const ref of a.refs) {
      await begin(ref).catch(() => {});
      await complete(ref);
    }
    await finalOf(chat, a.task.id);
    const refusals = h.fake.calls('editMessageText').filter((c) => c.status === 400);
    expect(refusals.length).toBeGreaterThan(0);
  }, 60_000);

  it('a refused photo arrives as text', async () => {
    const chat = -2002;
    const t = await newTask('photo-refused', chat);
    await begin(t.refs[0]!);
    h.fake.failNext('sendPhoto', { status: 400, description: 'Bad Request: IMAGE_PROCESS_FAILED' });
    await finishRun(database().db, jobs(), t.refs[0]!, {
      kind: 'failed',
      code: 'logged_out',
      message: 'the saved login expired',
      screenshot: tinyPng(),
    });
    const final = await finalOf(chat, t.task.id);
    expect(final.photo).toBeUndefined();
    expect(String(final.text)).toContain('logged out — send a fresh login');
    expect(h.fake.calls('sendPhoto').at(-1)?.status).toBe(400);
  }, 30_000);

  it('a blocked chat is no longer sent to, shows in /readyz, and resumes when it writes again', async () => {
    const chat = people.admin.id;
    const first = await newTask('blocked-a', chat);
    h.fake.failAll({ status: 403, description: 'Forbidden: bot was blocked by the user', chats: [chat] });
    await begin(first.refs[0]!);
    // Marking it happens after the refused call, where the fake's own waits cannot see it.
    await vi.waitFor(() => expect(h.outbox.unreachable().map((u) => u.chatId)).toContain(chat), {
      timeout: 10_000,
      interval: 20,
    });
    const callsBefore = h.fake.calls().filter((c) => c.params.chat_id === chat).length;
    await complete(first.refs[0]!);
    const second = await newTask('blocked-b', chat);
    await begin(second.refs[0]!);
    await complete(second.refs[0]!);
    // Recorded, and waiting: the first one's start (refused, so unsettled) and end, and the second's
    // start and end. (Waiting for 3 passed only while the fourth had not been recorded yet.)
    await vi.waitFor(
      async () => {
        const rows = await database()
          .db.select()
          .from(notificationOutbox)
          .where(eq(notificationOutbox.chatId, chat));
        expect(rows.filter((r) => r.settledAt === null)).toHaveLength(4);
      },
      { timeout: 20_000, interval: 50 },
    );
    const ready = (await (await fetch(`${ops.url}/readyz`)).json()) as {
      checks: Record<string, { details?: { unreachableChats: { chatId: number; reason: string }[] } }>;
    };
    expect(ready.checks.notifications?.details?.unreachableChats).toEqual([
      expect.objectContaining({ chatId: chat, reason: expect.stringContaining('403') }),
    ]);
    const [audit] = await database()
      .db.select()
      .from(auditLog)
      .where(eq(auditLog.action, 'chat.unreachable'));
    expect(audit?.details).toMatchObject({ chatId: chat });
    expect(h.fake.calls().filter((c) => c.params.chat_id === chat)).toHaveLength(callsBefore);
    // The admin unblocks the bot and writes again: what waited is delivered, folded.
    h.fake.recover();
    h.fake.sendText({ from: people.admin, text: '/help' });
    await h.fake.waitFor(() => texts(h.fake, chat).some((t) => t.includes(`#${second.task.id} `)));
    expect(h.outbox.unreachable()).toEqual([]);
  }, 60_000);
});

describe('newest state wins', () => {
  it('a late started after completed changes nothing in the chat', async () => {
    const chat = -2003;
    const t = await newTask('late-start', chat);
    await begin(t.refs[0]!);
    await complete(t.refs[0]!);
    await finalOf(chat, t.task.id);
    await settled(chat, 2);
    const before = {
      calls: h.fake.calls().filter((c) => c.params.chat_id === chat).length,
      texts: texts(h.fake, chat),
    };
    const done = (await findTask(database().db, t.task.id))!;
    const late = { ...(await buildTaskEvent(database().db, done, 'started')), status: 'running' as const };
    await jobs().publish(database().db, late);
    const rows = await settled(chat, 3);
    expect(rows.at(-1)?.outcome).toBe('stale');
    expect(h.fake.calls().filter((c) => c.params.chat_id === chat)).toHaveLength(before.calls);
    expect(texts(h.fake, chat)).toEqual(before.texts);
  });
});
