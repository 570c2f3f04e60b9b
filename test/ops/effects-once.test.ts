// Effects at most as planned, across whole processes: a worker (`node src/main.ts`, ROLE=worker)
// runs a task of likes=1 follows=1 against the fixture site, and after the like either its
// database goes away long enough for the session to lose its account lease, or the worker is
// SIGKILLed. The retry does only what the run still owes: the site counts one like and one
// follow, and the task completes once, with those totals.
import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runs, tasks } from '../../src/db/schema.ts';
import type { Boss } from '../../src/jobs/boss.ts';
import { QUEUES } from '../../src/jobs/queues.ts';
import { createTaskJobs } from '../../src/jobs/task-jobs.ts';
import { createTask } from '../../src/tasks/create-task.ts';
import { settingsBasis } from '../../src/warmup/platform-warmup.ts';
import { fixtureAccount } from '../support/accounts.ts';
import { startTestBoss } from '../support/jobs.ts';
import { type MainProcess, QUICK_RECOVERY, startMain, useSiteForMain } from '../support/main-process.ts';
import { quickSettings, range } from '../support/quick-settings.ts';
import { type RestartablePostgres, startRestartablePostgres } from '../support/restartable-postgres.ts';

const fixture = useSiteForMain('effects');
const key = randomBytes(32);
let pg: RestartablePostgres;
let boss: Boss;
let worker: MainProcess | undefined;

beforeAll(async () => {
  pg = await startRestartablePostgres();
  // The queue's heartbeat as the worker processes set it (QUICK_RECOVERY).
  boss = await startTestBoss(pg.database, { heartbeatSeconds: 10 });
}, 60_000);
afterAll(async () => {
  worker?.child.kill('SIGKILL');
  await boss?.boss.stop({ graceful: false, timeout: 1000 });
  await pg?.close();
});

function startWorker(): MainProcess {
  return startMain({
    ROLE: 'worker',
    DATABASE_URL: pg.database.url,
    SESSION_ENCRYPTION_KEY: key.toString('hex'),
    WARMUP_SITE_PROFILE: fixture().profilePath,
    WORKER_CONCURRENCY: '1',
    SHUTDOWN_GRACE_SECONDS: '2',
    LOG_LEVEL: 'info',
    ...QUICK_RECOVERY,
  });
}

/**
 * One item, liked then followed, each after a pause of `delay` seconds: after the like, the
 * session waits that long before it asks to record the follow. Stored as /new stores a task's
 * settings: with their basis (every knob typed, so the platform's numbers change none).
 */
const settings = (delay: number) => {
  const typed = quickSettings({
    videos: range(1),
    watchSeconds: range(1),
    likes: range(1),
    follows: range(1),
    delaySeconds: range(delay),
  });
  return { ...typed, basis: settingsBasis(undefined, typed) };
};

const db = () => pg.database.db;
const site = () => fixture().site;

async function newTask(account: string, delay: number): Promise<number> {
  const accountId = await fixtureAccount(db(), key, site(), account);
  const { task } = await createTask(
    db(),
    createTaskJobs(boss.boss, () => 0),
    {
      name: `effects of ${account}`,
      settings: settings(delay),
      accountIds: [accountId],
      chatId: 1,
      actorId: 1,
    },
  );
  return task.id;
}

const likedOnce = (account: string) =>
  site().stats.waitFor(() => site().stats.account(account).likes.length === 1, 60_000, `${account}'s like`);

/** The task completed once, its run after two attempts, with the site's counts as its totals. */
async function expectCompletedOnce(taskId: number, account: string) {
  await vi.waitFor(
    async () => {
      const [task] = await db().select().from(tasks).where(eq(tasks.id, taskId));
      expect(task!.status).toBe('completed');
    },
    { timeout: 120_000, interval: 500 },
  );
  const record = site().stats.account(account);
  expect({ likes: record.likes, follows: record.follows }).toEqual({ likes: ['0'], follows: ['0'] });
  expect([record.unlikes, record.unfollows]).toEqual([[], []]);
  const [run] = await db().select().from(runs).where(eq(runs.taskId, taskId));
  expect(run).toMatchObject({ status: 'completed', attempts: 2, effects: { likes: 1, follows: 1 } });
  expect(run!.counters).toMatchObject({ likes: 1, follows: 1, comments: 0, searches: 0 });
  const [completions] = await db().execute<{ n: number }>(
    sql`select count(*)::int as n from pgboss.job where name = ${QUEUES.notify}
        and (data->>'taskId')::int = ${taskId} and data->>'type' in ('completed', 'failed')`,
  );
  expect(completions!.n).toBe(1);
}

describe('a run of likes=1 follows=1 interrupted after its like', () => {
  it('database away long enough to lose the lease, then back: one like, one follow, completed once', async () => {
    worker = startWorker();
    await worker.waitForLog(/^warmup-bot running$/);
    // 30 s before the follow: far longer than the worker needs to notice it lost its lease
    // (ACCOUNT_LEASE_SECONDS=10: it stops within about 10 s of the database going away).
    const taskId = await newTask('outage', 30);
    await likedOnce('outage');
    await pg.stop();
    // The session cannot prove its lease: it stops, and the page closes — without the follow,
    // which it could not record.
    await site().stats.waitFor(
      () => site().stats.openSessions('outage') === 0,
      30_000,
      'the session to stop',
    );
    expect(site().stats.account('outage').follows).toEqual([]);
    await pg.start();
    await expectCompletedOnce(taskId, 'outage');
    expect(site().stats.opened('outage')).toBe(2);
  }, 240_000);

  it('worker SIGKILLed right after the like: the retry elsewhere does only the follow', async () => {
    worker ??= startWorker();
    await worker.waitForLog(/^warmup-bot running$/);
    const taskId = await newTask('killed', 10);
    await likedOnce('killed');
    worker.child.kill('SIGKILL');
    await worker.exited;
    worker = startWorker();
    await expectCompletedOnce(taskId, 'killed');
    expect(site().stats.opened('killed')).toBe(2);
  }, 240_000);
});
