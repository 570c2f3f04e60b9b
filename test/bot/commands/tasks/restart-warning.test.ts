// The warning before a restart, for a big fleet (real telegraf, the fake Bot API, a real database):
// a task of 1 000 accounts that cannot be warmed gets a warning that Telegram accepts, names as
// many accounts as fit, counts the rest, keeps its question and buttons — folded by its builder,
// not cut by the send guard — and the restart can still be chosen from the chat.
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { GuardReport } from '../../../../src/bot/notifications/send-guard.ts';
import { accounts, runs, tasks } from '../../../../src/db/schema.ts';
import { insertTaskWithRuns } from '../../../../src/db/tasks-repo.ts';
import { buttonsOf, type ChatBot, people, startChatBot } from '../../../support/chat-bot.ts';
import { useTestDatabase } from '../../../support/db.ts';

const database = useTestDatabase();
const cuts: GuardReport[] = [];
let bot: ChatBot;
beforeAll(async () => {
  bot = await startChatBot(database(), { limits: { onCut: (report) => cuts.push(report) } });
});
afterAll(async () => {
  await bot?.stop();
});

const FLEET = 1000;
const HEALTH = ['logged_out', 'captcha', 'blocked'] as const;

/** 1 000 accounts with 24-character names (the longest a username may be), all unhealthy or paused. */
async function bigFailedTask() {
  const { db } = database();
  const rows = await db
    .insert(accounts)
    .values(
      Array.from({ length: FLEET }, (_, i) => ({
        username: `warmup_fleet_acct_${String(i).padStart(6, '0')}`,
        health: i % 4 === 3 ? ('ok' as const) : HEALTH[i % 3]!,
        quarantinedAt: i % 4 === 3 ? new Date() : null,
      })),
    )
    .returning({ id: accounts.id });
  const { task } = await insertTaskWithRuns(
    db,
    { name: 'the whole fleet', settings: {}, chatId: people.operator.id, createdBy: people.operator.id },
    rows.map((r) => r.id),
  );
  // Test setup only: every run failed a minute ago, and so did the task.
  const ended = {
    startedAt: sql`now() - interval '5 minutes'`,
    completedAt: sql`now() - interval '1 minute'`,
  };
  await db
    .update(runs)
    .set({ status: 'failed', reasonCode: 'captcha', ...ended })
    .where(eq(runs.taskId, task.id));
  await db
    .update(tasks)
    .set({ status: 'failed', ...ended })
    .where(eq(tasks.id, task.id));
  return task;
}

it('a restart warning for a task of 1 000 unhealthy accounts is sent, fits and folds the rest', async () => {
  const task = await bigFailedTask();
  const { fake } = bot;
  const chat = people.operator.id;
  const before = fake.messages(chat).length;
  fake.sendText({ from: people.operator, text: `/restart ${task.id} failed` });
  const warning = await fake.waitFor(() => fake.messages(chat)[before], { description: 'the warning' });
  const lines = String(warning.text).split('\n');
  expect([...String(warning.text)].length).toBeLessThanOrEqual(4096);
  expect(lines[0]).toBe(`Task #${task.id} was not restarted yet: these accounts cannot be warmed up now.`);
  expect(lines[1]).toBe('• @warmup_fleet_acct_000000 — logged out');
  expect(lines[4]).toBe('• @warmup_fleet_acct_000003 — on hold until someone resumes it');
  const named = lines.filter((l) => l.startsWith('• @')).length;
  expect(named).toBeGreaterThan(50);
  expect(lines.at(-2)).toBe(`…and ${FLEET - named} more.`);
  expect(lines.at(-1)).toBe('None of the accounts can be warmed up now: fix them first, or restart anyway.');
  expect(buttonsOf(warning)).toEqual([['🔁 Restart failed anyway', `rfa:${task.id}`]]);
  // The builder folded it: the guard had nothing to cut.
  expect(cuts).toEqual([]);
  // And the task can be restarted from the chat.
  expect(await bot.tap(people.operator, `rfa:${task.id}`, warning.message_id)).toBe(
    `Task #${task.id} restarted.`,
  );
  const [row] = await database().db.select().from(tasks).where(eq(tasks.id, task.id));
  expect(row).toMatchObject({ status: 'pending', runNumber: task.runNumber + 1 });
});
