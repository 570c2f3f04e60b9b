// Notifications end to end: sessions on workers, events through pg-boss, messages through real
// telegraf to the fake Bot API — live progress, final messages, screenshots, outages, limits.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { tasks } from '../../../../src/db/schema.ts';
import { createTaskJobs } from '../../../../src/jobs/task-jobs.ts';
import { createTask } from '../../../../src/tasks/create-task.ts';
import { beginRun, finishRun } from '../../../../src/tasks/run-session.ts';
import { people, useBotHarness } from '../../../support/bot.ts';
import { buttonsOf } from '../../../support/chat-bot.ts';
import { useTestDatabase } from '../../../support/db.ts';
import type { FakeMessage } from '../../../support/fake-bot-api.ts';
import { makeAccounts } from '../../../support/fixtures.ts';
import { completed, failed, steeredRunner } from '../../../support/jobs.ts';

const database = useTestDatabase();
const steer = steeredRunner({
  plan: (input) => (input.account.username.startsWith('locked') ? failed('logged_out', false) : completed()),
});
const h = useBotHarness(database, { runner: steer.runner });

const settings = { parallel: 2, delaySeconds: { min: 0, max: 0 }, sessionCapSeconds: 60 };
const chat = people.operator.id;

async function newTask(prefix: string, n = 1, chatId: number = chat) {
  const accountIds = await makeAccounts(database().db, n, prefix);
  return createTask(database().db, createTaskJobs(h.boss.boss), {
    name: `${prefix} task`,
    settings,
    accountIds,
    chatId,
    actorId: people.operator.id,
  });
}

/** The texts of a message's buttons. */
const labels = (m: FakeMessage | undefined) => buttonsOf(m).map(([text]) => text);

describe('a task in the chat', () => {
  it('a start message that becomes the live progress message, then a completion message', async () => {
    const { task } = await newTask('fine', 2);
    const start = await h.fake.waitFor(() =>
      h.fake
        .messages(chat)
        .find(
          (m) =>
            String(m.text).startsWith(`▶️ #${task.id}`) ||
            String(m.text).includes(`#${task.id} ${task.name} — started`),
        ),
    );
    expect(labels(start)).toEqual(['⛔ Cancel', 'ℹ️ Details']);
    // The session's progress edits the start message in place.
    await h.fake.waitFor(() => {
      const live = h.fake.message(chat, start.message_id);
      return live?.edit_date !== undefined && String(live.text).includes('— running');
    });
    const sentBefore = h.fake.calls('sendMessage').length;
    steer.release();
    const done = await h.fake.waitFor(() =>
      h.fake
        .messages(chat)
        .find((m) => String(m.text).includes(`#${task.id}`) && String(m.text).includes('completed')),
    );
    expect(done.text).toMatch(/Accounts: 2 ok · 0 failed · 2 total\nDuration: \d+s/);
    expect(labels(done)).toEqual(['🔁 Restart', 'ℹ️ Details']);
    // Once finished, the live message no longer offers Cancel.
    await h.fake.waitFor(() => labels(h.fake.message(chat, start.message_id)).length === 0);
    // Exactly one new message for the end; everything else was an edit of the live one.
    expect(h.fake.calls('sendMessage').length - sentBefore).toBe(1);
  });

  it('a logged-out account ends with a failure photo saying it is logged out and how to fix it, with a Restart button', async () => {
    const { task } = await newTask('locked');
    await steer.waitFor(() => steer.openSessions().some((n) => n.startsWith('locked')));
    steer.release();
    const photo = await h.fake.waitFor(() =>
      h.fake.messages(chat).find((m) => m.photo && String(m.caption).includes(`#${task.id}`)),
    );
    expect(photo.caption).toContain('logged out — send a fresh login');
    expect(photo.caption).not.toContain('logged_out');
    expect(photo.caption).toContain('1 of 1 account failed');
    expect(labels(photo)).toContain('🔁 Restart');
    const upload = h.fake.calls('sendPhoto').at(-1)!;
    expect(upload.uploads.photo?.bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  });
});

describe('delivery under Telegram trouble', () => {
  it('after 30 s of 502s every pending notification arrives exactly once, in order per task', async () => {
    h.fake.failAll({ status: 502, forMs: 30_000, methods: ['sendMessage', 'editMessageText', 'sendPhoto'] });
    const created = [await newTask('outage-a'), await newTask('outage-b')];
    await steer.waitFor(() => steer.openSessions().filter((n) => n.startsWith('outage')).length === 2);
    steer.release();
    for (const { task } of created) {
      const final = await h.fake.waitFor(
        () =>
          h.fake
            .messages(chat)
            .find((m) => String(m.text).includes(`#${task.id}`) && String(m.text).includes('completed')),
        { timeout: 90_000 },
      );
      const mine = h.fake.messages(chat).filter((m) => String(m.text).includes(`#${task.id}`));
      // One completion, nothing twice; a start, when it went out before the end, came first (a
      // start still waiting when its end arrives is superseded by it: newest state wins).
      expect(mine.filter((m) => String(m.text).includes('completed'))).toHaveLength(1);
      expect(mine.length).toBeLessThanOrEqual(2);
      expect(mine[0]!.message_id).toBeLessThanOrEqual(final.message_id);
    }
  }, 120_000);

  it('429 with retry_after 3 delays that chat’s next send by at least 3 s', async () => {
    h.fake.failNext('sendMessage', { status: 429, retryAfter: 3 });
    const { task } = await newTask('limited');
    const refused = await h.fake.waitForCall('sendMessage', (c) => c.status === 429);
    const next = await h.fake.waitForCall(
      'sendMessage',
      (c) => c.index > refused.index && c.status === 200 && Number(c.params.chat_id) === chat,
    );
    expect(next.at - refused.at).toBeGreaterThanOrEqual(3000);
    expect(String(next.params.text)).toContain(`#${task.id}`);
    steer.release();
  });

  it('50 tasks finishing at once in one group chat cause no 429s', async () => {
    h.fake.enforceLimits();
    const group = -100500;
    const jobs = createTaskJobs(h.boss.boss);
    const made = await Promise.all(Array.from({ length: 50 }, (_, i) => newTask(`burst${i}-`, 1, group)));
    // Drive the runs by hand, all at once: no workers involved, just the events.
    await Promise.all(
      made.map(async ({ task, runs: [run] }) => {
        await database().db.update(tasks).set({ chatId: group }).where(eq(tasks.id, task.id));
        await beginRun(database().db, jobs, { runId: run!.id, runNumber: run!.runNumber });
        await finishRun(
          database().db,
          jobs,
          { runId: run!.id, runNumber: run!.runNumber },
          { kind: 'completed', counters: {}, cappedByTime: false },
        );
      }),
    );
    await h.fake.waitFor(
      () => {
        const all = h.fake
          .messages(group)
          .map((m) => String(m.text))
          .join('\n');
        return made.every(({ task }) => all.includes(`#${task.id}`) && all.includes('finished'));
      },
      { timeout: 60_000, description: 'every task reported in the group' },
    );
    expect(h.fake.rateLimitHits()).toBe(0);
    h.fake.enforceLimits(false);
  }, 90_000);
});
