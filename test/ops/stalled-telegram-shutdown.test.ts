// Shutdown is bounded even when Telegram hangs: SIGTERM to a process running the bot and a worker
// ends within SHUTDOWN_GRACE_SECONDS and a few seconds; the stalled notification sends are aborted
// and left pending in the outbox for the next bot process, and the running session is handed back.
import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { runs } from '../../src/db/schema.ts';
import { cancelTask } from '../../src/tasks/cancel-task.ts';
import { fixtureAccount } from '../support/accounts.ts';
import { people } from '../support/bot.ts';
import { useTestDatabase } from '../support/db.ts';
import { createTaskOn, useTestBoss } from '../support/jobs.ts';
import { mainEnv, startMain, useSiteForMain } from '../support/main-process.ts';
import { quickSettings, range } from '../support/quick-settings.ts';
import { useFakeBotApi } from '../support/telegram.ts';

const database = useTestDatabase();
const fixture = useSiteForMain('stalled');
const key = randomBytes(32);
const GRACE_SECONDS = 5;
const fake = useFakeBotApi();
const queue = useTestBoss(database);

describe('SIGTERM while Telegram hangs', () => {
  it('ends within the grace period and a few seconds; sends are left pending, the session handed back', async () => {
    const main = startMain(
      mainEnv(
        'all',
        { databaseUrl: database().url, key, profilePath: fixture().profilePath, fake },
        { SHUTDOWN_GRACE_SECONDS: String(GRACE_SECONDS) },
      ),
    );
    await main.waitForLog(/^warmup-bot running$/);
    await fake.waitForCall('getUpdates', (call) => Number(call.params.timeout) > 0, { timeout: 30_000 });
    // From now on Telegram takes every message and never answers.
    fake.failAll({ stall: true, methods: ['sendMessage', 'editMessageText', 'sendPhoto'] });

    const accountId = await fixtureAccount(database().db, key, fixture().site, 'stalled1');
    const { task } = await createTaskOn(queue.boss, database().db, {
      name: 'stalled',
      // Each video is watched 2 s: the session outlasts the grace period.
      settings: quickSettings({ videos: range(6), watchSeconds: range(2) }),
      accountIds: [accountId],
      chatId: people.operator.id,
    });
    await fixture().site.stats.waitFor(
      () => fixture().site.stats.openSessions('stalled1') === 1,
      60_000,
      'the session to open',
    );
    const stalledSend = await fake.waitForCall('sendMessage', () => true, { timeout: 30_000 });
    expect(stalledSend.status).toBeUndefined(); // still waiting for Telegram

    const signalled = Date.now();
    main.child.kill('SIGTERM');
    const code = await Promise.race([
      main.exited,
      new Promise<string>((resolve) => setTimeout(resolve, (GRACE_SECONDS + 15) * 1000, 'still running')),
    ]);
    expect(code, main.output().slice(-3000)).toBe(0);
    const tookMs = Date.now() - signalled;
    // Bounded by the grace period plus the closing of pg-boss and the browser (a second or two), not
    // by Telegram, which never answers: 15 s beyond the grace leaves room for a loaded 2-core machine.
    expect(tookMs).toBeLessThan((GRACE_SECONDS + 15) * 1000);

    // The stalled start notification was not lost: it waits in the outbox, unsettled, for the next
    // bot process (its job is done: it was recorded).
    const entries = [
      ...(await database().db.execute<{ type: string; settled: boolean }>(
        sql`select event->>'type' as type, settled_at is not null as settled from notification_outbox
            where task_id = ${task.id}`,
      )),
    ];
    expect(entries.find((e) => e.type === 'started')).toMatchObject({ settled: false });
    // The session was handed back for the next worker.
    expect(fixture().site.stats.openSessions('stalled1')).toBe(0);
    const [run] = await database().db.select().from(runs).where(eq(runs.taskId, task.id));
    expect(run).toMatchObject({ status: 'pending', reasonCode: 'interrupted' });
    await cancelTask(database().db, queue.jobs, { taskId: task.id, actorId: 1 });
  }, 150_000);
});
