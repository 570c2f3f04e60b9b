// /retry_failed through real telegraf, the fake Bot API and Postgres: it counts the failed runs of
// a reason and window by task, asks, and on Confirm restarts exactly those still failed — not
// older ones, not other reasons, not completed runs, not a run that failed again since; a forged
// confirmation restarts nothing.
import { eq, inArray, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { accounts, type RunRow, runs, tasks } from '../../../../src/db/schema.ts';
import { restartTask } from '../../../../src/tasks/restart-task.ts';
import { buttonsOf, people, useChatBot } from '../../../support/chat-bot.ts';
import { useTestDatabase } from '../../../support/db.ts';
import { makeTask } from '../../../support/fixtures.ts';

const database = useTestDatabase();
const bot = useChatBot(database);

const op = people.operator;
const ask = (text: string, from: (typeof people)[keyof typeof people] = op) => bot.ask(from, text);

/** Marks a run failed with a reason, `ago` before now (a Postgres interval). */
async function failedAt(run: RunRow, reason: string, ago: string) {
  await database()
    .db.update(runs)
    .set({ status: 'failed', reasonCode: reason, completedAt: sql`now() - ${ago}::interval` })
    .where(eq(runs.id, run.id));
}
const statusOf = async (ids: number[]) => {
  const rows = await database().db.select().from(runs).where(inArray(runs.id, ids)).orderBy(runs.id);
  return rows.map((r) => r.status);
};
const lastMessage = () => bot.fake.messages(op.id).at(-1)!;

describe('/retry_failed', () => {
  it('bad input gets one short sentence; nothing matching is said so', async () => {
    expect(await ask('/retry_failed sometimes')).toContain(
      '"sometimes" is not a failure reason. Reasons: logged_out',
    );
    expect(await ask('/retry_failed since=45d')).toContain('"since=45d" is not a period');
    expect(await ask('/retry_failed since=soon')).toContain('"since=soon" is not a period');
    expect(await ask('/retry_failed a b c d')).toContain('Usage: /retry_failed');
    expect(await ask('/retry_failed blocked')).toBe('No failed runs to restart (blocked, last 24 h).');
    expect(await ask('/retry_failed', people.viewer)).toContain('не позволяет');
  });

  it('captcha since=24h restarts exactly the matching failed runs after confirmation', async () => {
    const { db } = database();
    const a = await makeTask(db, ['failed', 'failed', 'completed']);
    await failedAt(a.runs[0]!, 'captcha', '1 hour');
    await failedAt(a.runs[1]!, 'captcha', '2 hours');
    const b = await makeTask(db, ['failed']);
    await failedAt(b.runs[0]!, 'captcha', '3 hours');
    const old = await makeTask(db, ['failed']);
    await failedAt(old.runs[0]!, 'captcha', '3 days');
    const other = await makeTask(db, ['failed']);
    await failedAt(other.runs[0]!, 'navigation_timeout', '1 hour');
    // Changes after the question: restarted, then failed again (after the question's window).
    const later = await makeTask(db, ['failed']);
    await failedAt(later.runs[0]!, 'captcha', '1 hour');
    // Still running another account: left alone.
    const busy = await makeTask(db, ['failed', 'running']);
    await failedAt(busy.runs[0]!, 'captcha', '1 hour');

    await db.update(accounts).set({ quarantinedAt: sql`now()` }).where(eq(accounts.id, b.runs[0]!.accountId));
    const question = await ask('/retry_failed captcha since=24h');
    expect(question).toBe(
      'Restart 5 failed runs of 4 tasks (captcha, last 24 h)?\n1 of them is of a paused account (/account_resume it first, or it will likely fail again).',
    );
    const [[, confirm], [, cancel]] = buttonsOf(lastMessage()) as [[string, string], [string, string]];
    const messageId = lastMessage().message_id;

    const moved = await restartTask(db, bot.jobs, { taskId: later.task.id, scope: 'failed', actorId: op.id });
    expect(moved.ok).toBe(true);
    await db
      .update(runs)
      .set({ status: 'failed', reasonCode: 'captcha', completedAt: sql`now() + interval '10 seconds'` })
      .where(eq(runs.id, later.runs[0]!.id));
    await db.update(tasks).set({ status: 'failed' }).where(eq(tasks.id, later.task.id));

    expect(await bot.tap(op, cancel, messageId)).toBe('');
    await bot.fake.waitFor(() => bot.fake.message(op.id, messageId)?.text === 'Nothing was restarted.');
    expect(await statusOf([a.runs[0]!.id, b.runs[0]!.id])).toEqual(['failed', 'failed']);

    const dispatched = bot.jobs.dispatched.length;
    await bot.tap(op, confirm, messageId);
    await bot.fake.waitFor(() => String(bot.fake.message(op.id, messageId)?.text).startsWith('Restarted'));
    expect(bot.fake.message(op.id, messageId)?.text).toBe(
      'Restarted 3 failed runs of 2 tasks.\n1 task had not finished and was left alone.',
    );
    expect(await statusOf(a.runs.map((r) => r.id))).toEqual(['pending', 'pending', 'completed']);
    expect(await statusOf([b.runs[0]!.id])).toEqual(['pending']);
    expect(await statusOf([old.runs[0]!.id, other.runs[0]!.id, later.runs[0]!.id])).toEqual([
      'failed',
      'failed',
      'failed',
    ]);
    expect(await statusOf(busy.runs.map((r) => r.id))).toEqual(['failed', 'running']);
    const [laterRun] = await db.select().from(runs).where(eq(runs.id, later.runs[0]!.id));
    expect(laterRun!.runNumber).toBe(2); // the manual restart's, not a third
    expect(bot.jobs.dispatched.slice(dispatched).sort()).toEqual([a.task.id, b.task.id].sort());

    // The same Confirm again (an old copy, a teammate): nothing is still failed in that window.
    await bot.tap(op, confirm, messageId);
    await bot.fake.waitFor(() => String(bot.fake.message(op.id, messageId)?.text).startsWith('None'));
  });

  it('forged confirmations restart nothing', async () => {
    const { db } = database();
    const t = await makeTask(db, ['failed']);
    await failedAt(t.runs[0]!, 'captcha', '1 hour');
    const now = Math.floor(Date.now() / 1000);
    for (const data of [
      `rt:captcha:0:${now}`, // a window longer than 30 days
      `rt:captcha:${now - 3600}:${now + 86_400}`, // ending in the future
      `rt:toString:${now - 3600}:${now}`, // not a reason
      `rt:captcha:${now}:${now - 3600}`, // backwards
      'rt:captcha',
      'rt:',
    ]) {
      expect(await bot.tap(op, data, 1)).toBe('That button is not valid. Send /retry_failed again.');
    }
    expect(await statusOf([t.runs[0]!.id])).toEqual(['failed']);
  });
});

describe('/retry_failed accounts=', () => {
  it('restarts only the failed runs of the chosen accounts (a tag, a name); unknown ones get one sentence', async () => {
    const { db } = database();
    const t = await makeTask(db, ['failed', 'failed', 'failed', 'failed']);
    for (const run of t.runs) await failedAt(run, 'browser_crashed', '30 minutes');
    const [a, b, c] = t.runs.map((r) => r.accountId);
    await db
      .update(accounts)
      .set({ tags: ['spring'] })
      .where(eq(accounts.id, a!));
    await db.update(accounts).set({ removedAt: sql`now()` }).where(eq(accounts.id, c!));
    const [named] = await db.select().from(accounts).where(eq(accounts.id, b!));
    // A removed account's failed run is left out of every count and restart.
    expect(await ask('/retry_failed browser_crashed')).toBe(
      'Restart 3 failed runs of 1 task (browser_crashed, last 24 h)?',
    );
    expect(await ask('/retry_failed accounts=tag:autumn')).toBe(
      'Unknown tags: autumn. Send /accounts for the list.',
    );
    expect(await ask('/retry_failed accounts=tag:')).toContain('"tag:" is not an account, tag:<tag>');
    const question = await ask(`/retry_failed browser_crashed accounts=tag:spring,${named!.username}`);
    expect(question).toBe(
      `Restart 2 failed runs of 1 task (browser_crashed, last 24 h, accounts tag:spring,${named!.username})?`,
    );
    const confirm = buttonsOf(lastMessage())[0]![1]!;
    expect(confirm).toMatch(/^rt:browser_crashed:\d+:\d+:[0-9a-f]{12}$/);
    // The accounts wait in memory under the button's key: another key is not ours.
    expect(
      await bot.tap(op, confirm.replace(/:[0-9a-f]{12}$/, ':abcdef123456'), lastMessage().message_id),
    ).toBe('This question has expired: send /retry_failed again.');
    await bot.tap(op, confirm, lastMessage().message_id);
    // The removed account's run is never restarted, chosen or not.
    expect(await statusOf(t.runs.map((r) => r.id))).toEqual(['pending', 'pending', 'failed', 'failed']);
  });
});
