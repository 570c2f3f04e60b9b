// Deploys: SIGTERM to a worker process mid-session lets the session run for the grace period, then
// hands it back; a second worker process completes it, with one completion notification. With the
// bot in the same process, the bot stops taking updates before the workers' grace begins.
import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runs } from '../../src/db/schema.ts';
import type { Boss } from '../../src/jobs/boss.ts';
import { QUEUES } from '../../src/jobs/queues.ts';
import { createTaskJobs } from '../../src/jobs/task-jobs.ts';
import { cancelTask } from '../../src/tasks/cancel-task.ts';
import { fixtureAccount } from '../support/accounts.ts';
import { people } from '../support/bot.ts';
import { useTestDatabase } from '../support/db.ts';
import { type FakeBotApi, startFakeBotApi } from '../support/fake-bot-api.ts';
import { waitForTaskStatus } from '../support/fixtures.ts';
import { createTaskOn, startTestBoss } from '../support/jobs.ts';
import { mainEnv, startMain, useSiteForMain } from '../support/main-process.ts';
import { parsePrometheus, seriesValue } from '../support/prometheus.ts';
import { quickSettings, range } from '../support/quick-settings.ts';

const database = useTestDatabase();
const fixture = useSiteForMain('deploy');
const key = randomBytes(32);
let boss: Boss | undefined;

afterAll(async () => {
  await boss?.boss.stop({ graceful: false, timeout: 1000 });
});

const workerEnv = (extra: Record<string, string> = {}) =>
  mainEnv(
    'worker',
    { databaseUrl: database().url, key, profilePath: fixture().profilePath },
    { SHUTDOWN_GRACE_SECONDS: '5', ...extra },
  );

// Each video is watched 2 s: the session outlasts the 5 s grace period.
const longSession = quickSettings({ videos: range(6), watchSeconds: range(2) });

async function createLongTask(account: string) {
  boss ??= await startTestBoss(database());
  const id = await fixtureAccount(database().db, key, fixture().site, account);
  const { task } = await createTaskOn(boss, database().db, {
    name: `deploy ${account}`,
    settings: longSession,
    accountIds: [id],
    chatId: people.operator.id,
  });
  await fixture().site.stats.waitFor(
    () => fixture().site.stats.openSessions(account) === 1,
    60_000,
    'the session to open',
  );
  return task;
}

const runOf = async (taskId: number) =>
  (await database().db.select().from(runs).where(eq(runs.taskId, taskId)))[0]!;

describe('SIGTERM to a worker mid-session', () => {
  it('the session runs through the grace period, is handed back and completed by another worker', async () => {
    const first = startMain(workerEnv());
    await first.waitForLog(/^warmup-bot running$/);
    const url = await first.httpUrl();
    const task = await createLongTask('deploy1');

    const ready = (await (await fetch(`${url}/readyz`)).json()) as { ready: boolean; checks: object };
    expect(ready).toMatchObject({ ready: true });
    expect(Object.keys(ready.checks).sort()).toEqual(['browser', 'database', 'pgboss', 'process']);
    const metrics = parsePrometheus(await (await fetch(`${url}/metrics`)).text());
    expect(seriesValue(metrics, 'warmup_browser_sessions_active')).toBe(1);

    const signalled = Date.now();
    first.child.kill('SIGTERM');
    await first.waitForLog(/^grace period over/, 15_000);
    // The grace period is the session's: it was still open when the grace ran out.
    expect(Date.now() - signalled).toBeGreaterThanOrEqual(4500);
    expect(await first.exited).toBe(0);
    expect(fixture().site.stats.openSessions('deploy1')).toBe(0);
    const handedBack = await runOf(task.id);
    expect(handedBack).toMatchObject({ status: 'pending', reasonCode: 'interrupted' });
    // Handed back with a new job, so the next worker starts it at once and no retry is spent.
    expect((await boss!.boss.getJobById(QUEUES.session, handedBack.jobId!))?.retryCount).toBe(0);

    const second = startMain(workerEnv());
    await waitForTaskStatus(database().db, task.id, 'completed', 90_000, 250);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(await runOf(task.id)).toMatchObject({ status: 'completed', attempts: 2 });
    expect(fixture().site.stats.maxConcurrent('deploy1')).toBe(1);
    const terminal = await database().db.execute<{ type: string }>(
      sql`select data->>'type' as type from pgboss.job where name = ${QUEUES.notify}
          and (data->>'taskId')::int = ${task.id} and data->>'type' in ('completed', 'failed')`,
    );
    expect([...terminal].map((r) => r.type)).toEqual(['completed']);
  }, 150_000);
});

describe('SIGTERM to a process running the bot and a worker', () => {
  let fake: FakeBotApi;
  beforeAll(async () => {
    fake = await startFakeBotApi();
  });
  afterAll(async () => {
    await fake?.close();
  });

  it('stops taking updates before the workers’ grace period', async () => {
    const main = startMain(
      workerEnv({ ROLE: 'all', TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot }),
    );
    await main.waitForLog(/^warmup-bot running$/);
    await fake.waitForCall('getUpdates', (call) => Number(call.params.timeout) > 0);
    const task = await createLongTask('deploy2');

    main.child.kill('SIGTERM');
    await main.waitForLog(/^shutting down$/);
    await fake.waitFor(
      () => fake.calls('getUpdates').every((call) => call.status !== undefined) || undefined,
      {
        description: 'the long poll to end',
      },
    );
    // Sent during the grace period: left for the next bot process, not taken by this one.
    fake.sendText({ from: people.operator, text: '/help' });
    await main.waitForLog(/^grace period over/, 15_000);
    expect(await main.exited).toBe(0);
    expect(fake.pendingUpdates()).toBe(1);
    expect(await runOf(task.id)).toMatchObject({ status: 'pending', reasonCode: 'interrupted' });
    await cancelTask(database().db, createTaskJobs(boss!.boss), { taskId: task.id, actorId: 1 });
  }, 120_000);
});
