// Roles mean what they say, with TELEGRAM_BOT_TOKEN set for each: a worker process never talks to
// Telegram (no getUpdates, no notifications sent: they wait for the bot), and a bot process never
// looks for a browser. Real child processes of src/main.ts against the fake Bot API.
import { randomBytes } from 'node:crypto';
import { access, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { QUEUES } from '../../src/jobs/queues.ts';
import { fixtureAccount } from '../support/accounts.ts';
import { people } from '../support/bot.ts';
import { useTestDatabase } from '../support/db.ts';
import { waitForTaskStatus } from '../support/fixtures.ts';
import { createTaskOn, useTestBoss } from '../support/jobs.ts';
import { mainEnv, startMain, useSiteForMain } from '../support/main-process.ts';
import { quickSettings, range } from '../support/quick-settings.ts';
import { useFakeBotApi } from '../support/telegram.ts';

const database = useTestDatabase();
const fixture = useSiteForMain('roles');
const key = randomBytes(32);
const fake = useFakeBotApi();
const queue = useTestBoss(database);

const env = (role: 'bot' | 'worker', extra: Record<string, string> = {}) =>
  mainEnv(
    role,
    { databaseUrl: database().url, key, profilePath: fixture().profilePath, fake },
    { SHUTDOWN_GRACE_SECONDS: '5', ...extra },
  );

const notificationStates = async (taskId: number) =>
  [
    ...(await database().db.execute<{ state: string }>(
      sql`select state from pgboss.job where name = ${QUEUES.notify} and (data->>'taskId')::int = ${taskId}`,
    )),
  ].map((r) => r.state);

describe('roles with TELEGRAM_BOT_TOKEN set', () => {
  let taskId: number;

  it('a worker runs sessions and never talks to Telegram; their notifications wait for the bot', async () => {
    const worker = startMain(
      env('worker', { WORKER_HEARTBEAT_SECONDS: '12', SESSION_RETRY_DELAY_SECONDS: '3' }),
    );
    await worker.waitForLog(/^warmup-bot running$/);
    // The queue takes the process's heartbeat and retry delay (the last process to start sets them).
    expect(await queue.boss.boss.getQueue(QUEUES.session)).toMatchObject({
      heartbeatSeconds: 12,
      retryDelay: 3,
    });
    const checks = (await (await fetch(`${await worker.httpUrl()}/readyz`)).json()) as { checks: object };
    expect(Object.keys(checks.checks).sort()).toEqual(['browser', 'database', 'pgboss', 'process']);

    const accountId = await fixtureAccount(database().db, key, fixture().site, 'roles1');
    const { task } = await createTaskOn(queue.boss, database().db, {
      name: 'roles',
      settings: quickSettings({ videos: range(1), watchSeconds: range(0) }),
      accountIds: [accountId],
      chatId: people.operator.id,
    });
    taskId = task.id;
    await waitForTaskStatus(database().db, task.id, 'completed', 90_000, 250);
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);

    // The whole life of a worker that ran a session: not one Bot API call, and the task's
    // notifications are still queued.
    expect(fake.calls()).toEqual([]);
    const states = await notificationStates(task.id);
    expect(states.length).toBeGreaterThan(0);
    expect(new Set(states)).toEqual(new Set(['created']));
  }, 150_000);

  it('a bot never looks for a browser, and delivers what the worker queued', async () => {
    // A browser that records being started: the bot must not even look for it.
    const marker = path.join(fixture().dir, 'browser-was-started');
    const browser = path.join(fixture().dir, 'browser.sh');
    await writeFile(browser, `#!/bin/sh\ntouch '${marker}'\nexit 1\n`, { mode: 0o755 });
    const bot = startMain(env('bot', { BROWSER_EXECUTABLE_PATH: browser }));
    await bot.waitForLog(/^warmup-bot running$/);
    const checks = (await (await fetch(`${await bot.httpUrl()}/readyz`)).json()) as { checks: object };
    expect(Object.keys(checks.checks)).not.toContain('browser');
    await fake.waitForCall('getUpdates');
    await fake.waitFor(() => fake.messages(people.operator.id).length >= 1, { timeout: 30_000 });
    await vi.waitFor(
      async () => expect(new Set(await notificationStates(taskId))).toEqual(new Set(['completed'])),
      {
        timeout: 30_000,
        interval: 250,
      },
    );
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
    expect(bot.output()).not.toContain('browser found');
    await expect(access(marker)).rejects.toThrow();
  }, 120_000);
});
