// Orchestration with real browsers: pg-boss workers run the warmup engine in Chromium against
// the fixture site, which counts the sessions it sees — parallel limits, one session per
// account, cancel closing the page, and a worker process killed mid-session.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runs, tasks } from '../../src/db/schema.ts';
import type { Boss } from '../../src/jobs/boss.ts';
import { QUEUES } from '../../src/jobs/queues.ts';
import { createTaskJobs } from '../../src/jobs/task-jobs.ts';
import { createWarmupRunner } from '../../src/jobs/warmup-runner.ts';
import { startWorkers, type Workers } from '../../src/jobs/workers.ts';
import { cancelTask } from '../../src/tasks/cancel-task.ts';
import { createTask } from '../../src/tasks/create-task.ts';
import type { WarmupSettings } from '../../src/warmup/settings.ts';
import { fixtureAccount } from '../support/accounts.ts';
import { useTestDatabase } from '../support/db.ts';
import { useFixtureBrowser } from '../support/fixture-browser.ts';
import { startTestBoss, testLog } from '../support/jobs.ts';
import { QUICK_RECOVERY, startMain } from '../support/main-process.ts';
import { quickSettings, range } from '../support/quick-settings.ts';

const database = useTestDatabase();
const key = randomBytes(32);
const { site, host } = useFixtureBrowser();
let boss: Boss;
let workers: Workers | undefined;
let dir: string;

beforeAll(async () => {
  // The queue's heartbeat as the worker process below sets it (QUICK_RECOVERY).
  boss = await startTestBoss(database(), { heartbeatSeconds: 10 });
  dir = await mkdtemp(path.join(tmpdir(), 'warmup-e2e-'));
});
afterAll(async () => {
  await workers?.stop(0);
  await boss?.boss.stop({ graceful: false, timeout: 1000 });
  await rm(dir, { recursive: true, force: true });
});

async function startInProcessWorkers(concurrency = 4) {
  workers = await startWorkers({
    boss,
    db: database().db,
    runner: createWarmupRunner({ host, profile: site.profile, log: testLog }),
    log: testLog,
    concurrency,
    secretsKey: key,
  });
}

const account = (name: string) => fixtureAccount(database().db, key, site, name);

const settings = (overrides: Partial<WarmupSettings> = {}) =>
  quickSettings({ videos: range(3), watchSeconds: range(1), likes: range(1), ...overrides });

const create = (name: string, accountIds: number[], s = settings()) =>
  createTask(
    database().db,
    createTaskJobs(boss.boss, () => 0),
    { name, settings: s, accountIds, chatId: 7, actorId: 1 },
  );

async function taskRow(id: number) {
  const [row] = await database().db.select().from(tasks).where(eq(tasks.id, id));
  return row!;
}
const waitForTask = (id: number, statuses: string[], timeout = 60_000) =>
  vi.waitFor(async () => expect(statuses).toContain((await taskRow(id)).status), { timeout, interval: 200 });

describe('with in-process workers', () => {
  beforeAll(async () => {
    await startInProcessWorkers(4);
  });
  afterAll(async () => {
    await workers?.stop(0);
    workers = undefined;
  });

  it('a task over 3 accounts with parallel=2 never has more than 2 sessions open, and completes', async () => {
    const ids = [await account('p1'), await account('p2'), await account('p3')];
    const { task } = await create('parallel', ids, settings({ parallel: 2 }));
    await waitForTask(task.id, ['completed']);
    const row = await taskRow(task.id);
    expect(row.startedAt!.getTime()).toBeLessThanOrEqual(row.completedAt!.getTime());
    expect(site.stats.maxConcurrentTotal).toBe(2);
    for (const name of ['p1', 'p2', 'p3']) expect(site.stats.account(name).likes).toHaveLength(1);
    const counters = await database()
      .db.select({ c: runs.counters })
      .from(runs)
      .where(eq(runs.taskId, task.id));
    expect(counters.map((r) => (r.c as { likes: number }).likes)).toEqual([1, 1, 1]);
  });

  it('two tasks sharing an account never drive it from two browsers at once', async () => {
    const shared = await account('shared');
    const [a, b] = await Promise.all([create('a', [shared]), create('b', [shared])]);
    await waitForTask(a.task.id, ['completed']);
    await waitForTask(b.task.id, ['completed']);
    expect(site.stats.maxConcurrent('shared')).toBe(1);
    expect(site.stats.account('shared').likes).toHaveLength(2);
  });

  it('cancel closes the running page within 10 s; the queued run never starts', async () => {
    const ids = [await account('c1'), await account('c2')];
    const long = settings({ videos: range(30), watchSeconds: range(5), parallel: 1 });
    const { task } = await create('cancel me', ids, long);
    await site.stats.waitFor(() => site.stats.openSessions('c1') === 1, 30_000, 'the session to open');
    const cancelledAt = Date.now();
    expect(
      (await cancelTask(database().db, createTaskJobs(boss.boss), { taskId: task.id, actorId: 1 })).ok,
    ).toBe(true);
    // The cancel reaches the session at its job's next heartbeat (every 2 s), and the browser lets go
    // within a tenth of a second (bench/abort-latency.ts): about 2 s. 10 s is that with room for a
    // loaded 2-core machine; a cancel that waited the session out (30 videos of 5 s) fails it.
    await site.stats.waitFor(() => site.stats.openSessions('c1') === 0, 10_000, 'the page to go away');
    expect(Date.now() - cancelledAt).toBeLessThan(10_000);
    const rows = await database().db.select().from(runs).where(eq(runs.taskId, task.id));
    expect(rows.map((r) => r.status)).toEqual(['cancelled', 'cancelled']);
    expect((await taskRow(task.id)).status).toBe('cancelled');
    expect(site.stats.account('c2').views).toEqual([]);
  });
});

describe('a worker process killed mid-session', () => {
  function startWorkerProcess(profilePath: string) {
    const worker = startMain({
      ROLE: 'worker',
      DATABASE_URL: database().url,
      SESSION_ENCRYPTION_KEY: key.toString('hex'),
      WARMUP_SITE_PROFILE: profilePath,
      WORKER_CONCURRENCY: '1',
      LOG_LEVEL: 'warn',
      ...QUICK_RECOVERY,
    });
    void worker.exited.then((exit) => {
      if (exit !== 'SIGKILL')
        console.error(`worker process exited (${exit}):\n${worker.output().slice(-3000)}`);
    });
    return worker.child;
  }

  it('does not leave the run RUNNING: it is retried elsewhere (or ends worker_lost) within 90 s, with one terminal message', async () => {
    const profilePath = path.join(dir, 'profile.json');
    await writeFile(profilePath, JSON.stringify(site.profile));
    const victim = startWorkerProcess(profilePath);
    const id = await account('k1');
    const { task } = await create('kill', [id], settings({ videos: range(4), watchSeconds: range(2) }));
    await site.stats.waitFor(
      () => site.stats.openSessions('k1') === 1,
      60_000,
      'the child to open the session',
    );
    victim.kill('SIGKILL');
    const killedAt = Date.now();
    await startInProcessWorkers(1);
    await waitForTask(task.id, ['completed', 'failed'], 90_000);
    // The acceptance's bound. With QUICK_RECOVERY the run is taken up again after about 10 s of lost
    // heartbeat and 10 s of lease (20–25 s here): 90 s is that with room for a loaded machine.
    expect(Date.now() - killedAt).toBeLessThan(90_000);
    const [run] = await database().db.select().from(runs).where(eq(runs.taskId, task.id));
    // Two ends are right, and which one depends on timing: a retry ran it to completion (its second
    // attempt), or the dead letter queue failed it as worker_lost. Anything else is wrong.
    expect(['completed', 'failed']).toContain(run!.status);
    expect(run).toMatchObject(
      run!.status === 'completed' ? { attempts: 2, reasonCode: null } : { reasonCode: 'worker_lost' },
    );
    const terminal = await database().db.execute<{ type: string }>(
      sql`select data->>'type' as type from pgboss.job where name = ${QUEUES.notify}
          and (data->>'taskId')::int = ${task.id} and data->>'type' in ('completed', 'failed')`,
    );
    expect([...terminal]).toHaveLength(1);
  }, 150_000);
});
