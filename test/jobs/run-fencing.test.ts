// Records that cannot go stale, against real pg-boss and Postgres with steered sessions: a
// /login uploaded during a run, a health verdict seen by a stale run, the reconciler racing a
// shutdown hand-back, the log tail after a restart, a restarted task's status before its first
// run starts, and a task's free accounts not held back by one busy elsewhere.
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { attachLogin } from '../../src/db/accounts-repo.ts';
import { accounts, runs, tasks } from '../../src/db/schema.ts';
import { reconcile, reconcileRun } from '../../src/jobs/reconcile-job.ts';
import type { SessionRunner } from '../../src/jobs/session-runner.ts';
import { cancelTask } from '../../src/tasks/cancel-task.ts';
import { openLogin, sealLogin } from '../../src/tasks/login-cipher.ts';
import { getTaskDetails } from '../../src/tasks/queries.ts';
import { restartTask } from '../../src/tasks/restart-task.ts';
import { useTestDatabase } from '../support/db.ts';
import { forceStatus, makeAccounts } from '../support/fixtures.ts';
import { completed, failed, queueTasks, steeredRunner, testLog, useTestBoss } from '../support/jobs.ts';

const database = useTestDatabase();
const key = randomBytes(32);
const queue = useTestBoss(database);
const { newTask, taskRow, runRows, waitForTask } = queueTasks(database, queue);
const db = () => database().db;
const account = async (id: number) => (await db().select().from(accounts).where(eq(accounts.id, id)))[0]!;

describe('account writes that respect newer facts', () => {
  it('a /login uploaded during a run survives the run’s end', async () => {
    const steer = steeredRunner({
      plan: () => ({ ...completed(), storageState: { cookies: [{ name: 'from-the-run' }], origins: [] } }),
    });
    await queue.startWorkers(steer.runner, 2, { secretsKey: key });
    const [id] = await makeAccounts(db(), 1, 'upload');
    await attachLogin(db(), id!, sealLogin(key, { cookies: [{ name: 'old' }], origins: [] }));
    const { task } = await newTask('upload', [id!]);
    await steer.waitFor(() => steer.openSessions().length === 1);
    const uploaded = { cookies: [{ name: 'uploaded-meanwhile' }], origins: [] };
    await attachLogin(db(), id!, sealLogin(key, uploaded));
    steer.release();
    await waitForTask(task.id, 'completed');
    const row = await account(id!);
    expect(openLogin(key, row.loginEncrypted!)).toEqual(uploaded);
    expect(row.lastWarmedAt).not.toBeNull();
  });

  it('the run’s saved login is kept when nobody uploaded one meanwhile', async () => {
    const fresh = { cookies: [{ name: 'from-the-run' }], origins: [] };
    const steer = steeredRunner({ autoRelease: true, plan: () => ({ ...completed(), storageState: fresh }) });
    await queue.startWorkers(steer.runner, 2, { secretsKey: key });
    const [id] = await makeAccounts(db(), 1, 'nologin');
    const { task } = await newTask('save', [id!]);
    await waitForTask(task.id, 'completed');
    expect(openLogin(key, (await account(id!)).loginEncrypted!)).toEqual(fresh);
  });

  it('a captcha seen by a run that was cancelled meanwhile still marks the account', async () => {
    let seeCaptcha: () => void = () => {};
    const seen = new Promise<void>((resolve) => {
      seeCaptcha = resolve;
    });
    let started: () => void = () => {};
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    // Like a browser that met the captcha just as the cancel arrived: it reports what it saw.
    const runner: SessionRunner = async () => {
      started();
      await seen;
      return failed('captcha', false);
    };
    await queue.startWorkers(runner, 2);
    const [id] = await makeAccounts(db(), 1, 'stale');
    const { task } = await newTask('stale captcha', [id!]);
    await running;
    expect((await cancelTask(db(), queue.jobs, { taskId: task.id, actorId: 1 })).ok).toBe(true);
    seeCaptcha();
    await vi.waitFor(async () => expect((await account(id!)).health).toBe('captcha'), { timeout: 20_000 });
    expect((await runRows(task.id))[0]).toMatchObject({ status: 'cancelled' });
  });
});

describe('fenced by job and attempt', () => {
  it('the reconciler racing a shutdown hand-back never fails the handed-back run', async () => {
    const steer = steeredRunner();
    const first = await queue.startWorkers(steer.runner, 2);
    const [id] = await makeAccounts(db(), 1, 'race');
    const { task } = await newTask('race', [id!]);
    await steer.waitFor(() => steer.openSessions().length === 1);
    const [before] = await runRows(task.id);
    let racing = true;
    const reconciler = (async () => {
      while (racing) await reconcile({ db: db(), boss: queue.boss.boss, jobs: queue.jobs, log: testLog });
    })();
    await first.stop(0);
    racing = false;
    await reconciler;
    // A reconciler that read the run just before the hand-back finds that row's job ended
    // without finishing it (or gone altogether).
    const deps = { db: db(), boss: queue.boss.boss, jobs: queue.jobs, log: testLog };
    expect(await reconcileRun(deps, before!)).toBe(false);
    await queue.boss.boss.deleteJob('account-session', before!.jobId!);
    expect(await reconcileRun(deps, before!)).toBe(false);
    await reconcile({ db: db(), boss: queue.boss.boss, jobs: queue.jobs, log: testLog });
    expect((await runRows(task.id))[0]).toMatchObject({ status: 'pending', reasonCode: 'interrupted' });
    await cancelTask(db(), queue.jobs, { taskId: task.id, actorId: 1 });
  });

  it('a restarted task’s details show only the new run’s log lines', async () => {
    const steer = steeredRunner({ autoRelease: true });
    await queue.startWorkers(steer.runner, 2);
    const [id] = await makeAccounts(db(), 1, 'tail');
    const { task } = await newTask('tail', [id!]);
    await waitForTask(task.id, 'completed');
    const name = (await account(id!)).username;
    expect((await getTaskDetails(db(), task.id))!.log.map((l) => l.line)).toEqual([`session 1 for ${name}`]);
    expect((await restartTask(db(), queue.jobs, { taskId: task.id, scope: 'all', actorId: 1 })).ok).toBe(
      true,
    );
    await vi.waitFor(() => expect(steer.stats.started).toHaveLength(2));
    await waitForTask(task.id, 'completed');
    expect((await getTaskDetails(db(), task.id))!.log.map((l) => l.line)).toEqual([`session 2 for ${name}`]);
  });
});

describe('status and parallelism', () => {
  it('a task restarted for its failed runs stays PENDING until one starts, whatever the reconciler does', async () => {
    const [a, b] = await makeAccounts(db(), 2, 'keep');
    const { task, runs: created } = await newTask('restart failed', [a!, b!], 2);
    await forceStatus(db(), runs, created[0]!.id, 'completed');
    await forceStatus(db(), runs, created[1]!.id, 'failed');
    await forceStatus(db(), tasks, task.id, 'failed');
    await db().update(runs).set({ jobId: null }).where(eq(runs.taskId, task.id));
    expect((await restartTask(db(), queue.jobs, { taskId: task.id, scope: 'failed', actorId: 1 })).ok).toBe(
      true,
    );
    await reconcile({ db: db(), boss: queue.boss.boss, jobs: queue.jobs, log: testLog });
    expect((await taskRow(task.id)).status).toBe('pending');
    const steer = steeredRunner({ autoRelease: true });
    await queue.startWorkers(steer.runner, 2);
    await waitForTask(task.id, 'completed');
  });

  it('an account busy in another task does not hold back the task’s free accounts', async () => {
    const steer = steeredRunner();
    await queue.startWorkers(steer.runner, 4);
    const [busy] = await makeAccounts(db(), 1, 'busy');
    const [free] = await makeAccounts(db(), 1, 'free');
    const other = await newTask('other', [busy!]);
    await steer.waitFor(() => steer.openSessions().length === 1);
    const { task } = await newTask('parallel one', [busy!, free!], 1);
    const [busyName, freeName] = [(await account(busy!)).username, (await account(free!)).username];
    await steer.waitFor(() => steer.openSessions().includes(freeName));
    expect(steer.openSessions().sort()).toEqual([busyName, freeName].sort());
    steer.release();
    await waitForTask(other.task.id, 'completed');
    await steer.waitFor(() => steer.stats.started.length === 3);
    steer.release();
    await waitForTask(task.id, 'completed');
    expect(steer.stats.maxPerAccount).toBe(1);
  });
});
