// One browser per account, with real Chromium against the fixture site (which counts the tabs of
// each account open at once): cancel then restart at once, ten times in a row; a worker that
// loses its claim mid-session (its heartbeat paused) while another worker takes the job up; and
// a worker handing its session back on shutdown to a worker that is already running.
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runs, tasks } from '../../src/db/schema.ts';
import type { Boss } from '../../src/jobs/boss.ts';
import { createTaskJobs } from '../../src/jobs/task-jobs.ts';
import { createWarmupRunner } from '../../src/jobs/warmup-runner.ts';
import { startWorkers, type WorkerDeps, type Workers } from '../../src/jobs/workers.ts';
import { cancelTask } from '../../src/tasks/cancel-task.ts';
import { createTask } from '../../src/tasks/create-task.ts';
import { restartTask } from '../../src/tasks/restart-task.ts';
import type { WarmupSettings } from '../../src/warmup/settings.ts';
import { fixtureAccount } from '../support/accounts.ts';
import { useTestDatabase } from '../support/db.ts';
import { useFixtureBrowser } from '../support/fixture-browser.ts';
import { startTestBoss, testLog } from '../support/jobs.ts';
import { quickSettings, range } from '../support/quick-settings.ts';

const database = useTestDatabase();
const key = randomBytes(32);
const { site, host } = useFixtureBrowser();
const bosses: Boss[] = [];
const running: Workers[] = [];

// Each test's worker sets go away with it, so the next test knows which worker runs its session.
afterEach(async () => {
  for (const w of running.splice(0)) await w.stop(0);
  for (const b of bosses.splice(0)) await b.boss.stop({ graceful: false, timeout: 1000 });
});

/** A boss of its own per worker set, like a separate worker process (the queue's heartbeat: 10 s). */
async function workerSet(extra: Partial<WorkerDeps> = {}) {
  const boss = await startTestBoss(database(), { heartbeatSeconds: 10 });
  bosses.push(boss);
  const workers = await startWorkers({
    boss,
    db: database().db,
    runner: createWarmupRunner({ host, profile: site.profile, log: testLog }),
    log: testLog,
    concurrency: 2,
    secretsKey: key,
    ...extra,
  });
  running.push(workers);
  return { boss, workers, jobs: createTaskJobs(boss.boss, () => 0) };
}

const settings = (overrides: Partial<WarmupSettings> = {}) =>
  quickSettings({ videos: range(40), watchSeconds: range(3), ...overrides });

async function taskRow(id: number) {
  return (await database().db.select().from(tasks).where(eq(tasks.id, id)))[0]!;
}
const runOf = async (taskId: number) =>
  (await database().db.select().from(runs).where(eq(runs.taskId, taskId)))[0]!;
const waitForTask = (id: number, status: string, timeout = 90_000) =>
  vi.waitFor(async () => expect((await taskRow(id)).status).toBe(status), { timeout, interval: 200 });
const pageOpened = (account: string, count: number) =>
  site.stats.waitFor(() => site.stats.opened(account) >= count, 60_000, `${account}'s page #${count}`);

describe('one open page per account', () => {
  it('cancel, then restart at once, ten times in a row', async () => {
    const { jobs } = await workerSet();
    const id = await fixtureAccount(database().db, key, site, 'lease1');
    const { task } = await createTask(database().db, jobs, {
      name: 'flip',
      settings: settings(),
      accountIds: [id],
      chatId: 7,
      actorId: 1,
    });
    await pageOpened('lease1', 1);
    for (let i = 1; i <= 10; i++) {
      expect((await cancelTask(database().db, jobs, { taskId: task.id, actorId: 1 })).ok).toBe(true);
      const restarted = await restartTask(database().db, jobs, { taskId: task.id, scope: 'all', actorId: 1 });
      expect(restarted.ok, `restart #${i}`).toBe(true);
      await pageOpened('lease1', i + 1);
      expect(site.stats.maxConcurrent('lease1'), `after restart #${i}`).toBe(1);
    }
    await cancelTask(database().db, jobs, { taskId: task.id, actorId: 1 });
    await site.stats.waitFor(() => site.stats.openSessions('lease1') === 0, 30_000, 'the last page to close');
    expect(site.stats.maxConcurrent('lease1')).toBe(1);
  }, 300_000);

  it('a worker whose heartbeat stopped keeps the account until its session ends; the retry waits', async () => {
    // Refreshing its heartbeat less often than the queue's 10 s: pg-boss takes the claim away
    // mid-session and a worker that is fine picks the retry up while this browser still runs.
    const stuck = await workerSet({ heartbeatRefreshSeconds: 3600 });
    const id = await fixtureAccount(database().db, key, site, 'lease2');
    const { task } = await createTask(database().db, stuck.jobs, {
      name: 'lost claim',
      settings: settings({ videos: range(8), watchSeconds: range(3) }),
      accountIds: [id],
      chatId: 7,
      actorId: 1,
    });
    await pageOpened('lease2', 1);
    const jobId = (await runOf(task.id)).jobId!;
    await workerSet();
    await vi.waitFor(
      async () => expect((await stuck.boss.boss.getJobById('account-session', jobId))?.retryCount).toBe(1),
      { timeout: 60_000, interval: 250 },
    );
    await waitForTask(task.id, 'completed', 120_000);
    expect(site.stats.maxConcurrent('lease2')).toBe(1);
    // The session that held the account ended the run; the retry found it finished.
    expect(await runOf(task.id)).toMatchObject({ status: 'completed', attempts: 1, jobAttempt: 0 });
  }, 200_000);

  it('a session handed back on shutdown is taken up by a running worker only after its page closed', async () => {
    const first = await workerSet();
    const id = await fixtureAccount(database().db, key, site, 'lease3');
    const { task } = await createTask(database().db, first.jobs, {
      name: 'hand back',
      settings: settings(),
      accountIds: [id],
      chatId: 7,
      actorId: 1,
    });
    let current = first;
    for (let i = 1; i <= 3; i++) {
      await pageOpened('lease3', i);
      const next = await workerSet();
      await current.workers.stop(0);
      running.splice(running.indexOf(current.workers), 1);
      current = next;
      expect(site.stats.maxConcurrent('lease3'), `after hand-back #${i}`).toBe(1);
    }
    await pageOpened('lease3', 4);
    expect((await runOf(task.id)).attempts).toBe(4);
    await cancelTask(database().db, current.jobs, { taskId: task.id, actorId: 1 });
    await site.stats.waitFor(() => site.stats.openSessions('lease3') === 0, 30_000, 'the last page to close');
    expect(site.stats.maxConcurrent('lease3')).toBe(1);
  }, 300_000);
});
