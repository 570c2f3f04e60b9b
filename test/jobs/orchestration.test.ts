// pg-boss orchestration against a real database: parallel limits, one session per account,
// atomic create/restart, retries, dead letters, cancel and the reconciler.
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { runs, tasks } from '../../src/db/schema.ts';
import { createQueues, QUEUES } from '../../src/jobs/queues.ts';
import { reconcile } from '../../src/jobs/reconcile-job.ts';
import { cancelTask } from '../../src/tasks/cancel-task.ts';
import { restartTask } from '../../src/tasks/restart-task.ts';
import { beginRun } from '../../src/tasks/run-session.ts';
import { useTestDatabase } from '../support/db.ts';
import { makeAccounts } from '../support/fixtures.ts';
import { completed, failed, queueTasks, steeredRunner, testLog, useTestBoss } from '../support/jobs.ts';

const database = useTestDatabase();
const queue = useTestBoss(database);
/** Tasks reporting to chat 10, created by user 1. */
const { newTask, taskRow, runRows, waitForTask } = queueTasks(database, queue);

async function notifications(taskId: number) {
  const rows = await database().db.execute<{ type: string }>(
    sql`select data->>'type' as type from pgboss.job where name = ${QUEUES.notify} and (data->>'taskId')::int = ${taskId} order by created_on, id`,
  );
  return [...rows].map((r) => r.type);
}

/** The dead letter queue's jobs for a session job, and what its handler made of each. */
async function deadLetters(sourceJobId: string) {
  const rows = await database().db.execute<{ state: string; output: unknown }>(
    sql`select state, output from pgboss.job where name = ${QUEUES.sessionDead} and source_id = ${sourceJobId}::uuid`,
  );
  return [...rows];
}

describe('queues', () => {
  it('a second start finds the queues and brings their options up to date', async () => {
    await createQueues(queue.boss.boss, queue.boss.timings);
    await createQueues(queue.boss.boss, { ...queue.boss.timings, sessionRetryLimit: 4 });
    expect((await queue.boss.boss.getQueue(QUEUES.session))?.retryLimit).toBe(4);
    await createQueues(queue.boss.boss, queue.boss.timings);
    expect((await queue.boss.boss.getQueue(QUEUES.session))?.policy).toBe('singleton');
  });
});

describe('dispatch', () => {
  it('runs at most `parallel` sessions of a task at once and completes the task', async () => {
    const steer = steeredRunner();
    await queue.startWorkers(steer.runner, 4);
    const accountIds = await makeAccounts(database().db, 3);
    const { task } = await newTask('three', accountIds, 2);
    await steer.waitFor(() => steer.openSessions().length === 2);
    steer.release();
    await steer.waitFor(() => steer.stats.started.length === 3);
    steer.release();
    await waitForTask(task.id, 'completed');
    expect(steer.stats.maxOpen).toBe(2);
    const row = await taskRow(task.id);
    expect(row.startedAt!.getTime()).toBeLessThanOrEqual(row.completedAt!.getTime());
    expect((await runRows(task.id)).map((r) => r.status)).toEqual(['completed', 'completed', 'completed']);
    expect(await notifications(task.id)).toEqual(expect.arrayContaining(['started', 'completed']));
    expect((await notifications(task.id)).filter((t) => t === 'completed')).toHaveLength(1);
  });

  it('never runs two sessions for one account, even across tasks', async () => {
    const steer = steeredRunner();
    await queue.startWorkers(steer.runner, 4);
    const [shared] = await makeAccounts(database().db, 1, 'shared');
    const [other] = await makeAccounts(database().db, 1, 'other');
    const a = await newTask('a', [shared!]);
    await steer.waitFor(() => steer.openSessions().length === 1);
    const b = await newTask('b', [shared!]);
    // The second job waits for the account. A job queued after it, for a free account, being
    // started proves the workers fetched past it: they had their chance to (wrongly) pick it up.
    const c = await newTask('c', [other!]);
    await steer.waitFor(() => steer.openSessions().length === 2);
    expect(
      steer
        .openSessions()
        .map((name) => name.replace(/\d+$/, ''))
        .sort(),
    ).toEqual(['other', 'shared']);
    expect((await runRows(b.task.id))[0]!.status).toBe('pending');
    steer.release();
    await steer.waitFor(() => steer.stats.started.length === 3);
    steer.release();
    await waitForTask(a.task.id, 'completed');
    await waitForTask(b.task.id, 'completed');
    await waitForTask(c.task.id, 'completed');
    expect(steer.stats.maxPerAccount).toBe(1);
  });
});

describe('restart', () => {
  it('"failed" scope runs only the failed account again; the others keep their rows', async () => {
    const steer = steeredRunner({
      autoRelease: true,
      plan: (input, attempt) =>
        input.account.username.startsWith('bad') && attempt === 1 ? failed('captcha', false) : completed(),
    });
    await queue.startWorkers(steer.runner, 4);
    const good = await makeAccounts(database().db, 2, 'good');
    const [bad] = await makeAccounts(database().db, 1, 'bad');
    const { task } = await newTask('mixed', [...good, bad!], 3);
    await waitForTask(task.id, 'failed');
    const before = await runRows(task.id);
    expect(before.map((r) => r.status)).toEqual(['completed', 'completed', 'failed']);
    expect(before[2]).toMatchObject({ reasonCode: 'captcha' });
    expect(steer.stats.started.filter((n) => n.startsWith('bad'))).toHaveLength(1); // health failures are not retried

    const restarted = await restartTask(database().db, queue.jobs, {
      taskId: task.id,
      scope: 'failed',
      actorId: 2,
    });
    expect(restarted.ok).toBe(true);
    await waitForTask(task.id, 'completed');
    const after = await runRows(task.id);
    expect(after[0]).toEqual(before[0]);
    expect(after[1]).toEqual(before[1]);
    expect(after[2]).toMatchObject({ status: 'completed', runNumber: before[2]!.runNumber + 1 });
    expect(steer.stats.started.filter((n) => n.startsWith('good'))).toHaveLength(2);
  });

  it('50 concurrent restarts of a finished task queue one job per account', async () => {
    const accountIds = await makeAccounts(database().db, 3);
    const { task } = await newTask('x', accountIds, 3);
    await database()
      .db.update(runs)
      .set({ status: 'completed', startedAt: sql`now()`, completedAt: sql`now()` })
      .where(eq(runs.taskId, task.id));
    await database().db.update(tasks).set({ status: 'completed' }).where(eq(tasks.id, task.id));
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        restartTask(database().db, queue.jobs, { taskId: task.id, scope: 'all', actorId: i }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const rows = await database().db.execute<{ n: number }>(
      sql`select count(*)::int as n from pgboss.job where name = ${QUEUES.session} and (data->>'taskId')::int = ${task.id}`,
    );
    expect([...rows][0]!.n).toBe(3 + 3); // the creation's three jobs and exactly one restart's three
  });

  it('a failed transaction leaves no task, no runs and no jobs', async () => {
    const [accountId] = await makeAccounts(database().db, 1);
    const count = async () =>
      [
        ...(await database().db.execute<{ n: string }>(
          sql`select (select count(*) from tasks) || '/' || (select count(*) from runs) || '/' || (select count(*) from pgboss.job) as n`,
        )),
      ][0]!.n;
    const before = await count();
    // The second account does not exist: the runs' foreign key fails after the task row was written.
    await expect(newTask('doomed', [accountId!, 987654])).rejects.toThrow();
    expect(await count()).toBe(before);
  });
});

describe('failures', () => {
  /**
   * A task of one account whose every session fails with a transient reason, on workers that think
   * the queue allows `extraRetries` more than it does; resolves once the task failed, with its run
   * (failed as navigation_timeout after all the queue's attempts).
   */
  async function failEveryAttempt(extraRetries = 0) {
    const steer = steeredRunner({ autoRelease: true, plan: () => failed('navigation_timeout', true) });
    const { timings } = queue.boss;
    const boss = {
      ...queue.boss,
      timings: { ...timings, sessionRetryLimit: timings.sessionRetryLimit + extraRetries },
    };
    await queue.startWorkers(steer.runner, 2, { boss });
    const { task } = await newTask('t', await makeAccounts(database().db, 1), 1);
    await waitForTask(task.id, 'failed', 30_000);
    const [run] = await runRows(task.id);
    expect(run).toMatchObject({
      status: 'failed',
      reasonCode: 'navigation_timeout',
      attempts: timings.sessionRetryLimit + 1,
    });
    return { task, run: run! };
  }

  it('retries a transient failure with backoff, then completes', async () => {
    const steer = steeredRunner({
      autoRelease: true,
      plan: (_i, attempt) => (attempt === 1 ? failed('navigation_timeout', true) : completed()),
    });
    await queue.startWorkers(steer.runner, 2);
    const accountIds = await makeAccounts(database().db, 1);
    const { task } = await newTask('t', accountIds, 1);
    await waitForTask(task.id, 'completed');
    const [run] = await runRows(task.id);
    expect(run).toMatchObject({ status: 'completed', attempts: 2, reasonCode: null });
    expect(await notifications(task.id)).not.toContain('failed');
  });

  it('exhausted retries: the last attempt fails the run with its last reason, leaving nothing to the dead letter queue', async () => {
    const { task, run } = await failEveryAttempt();
    expect(run).toMatchObject({ reasonMessage: 'navigation_timeout happened' });
    expect((await notifications(task.id)).filter((t) => t === 'failed')).toHaveLength(1);
    expect((await queue.boss.boss.getJobById(QUEUES.session, run.jobId!))?.state).toBe('completed');
    expect(await deadLetters(run.jobId!)).toEqual([]);
  }, 40_000);

  it('a job pg-boss gives up on reaches the dead letter queue, whose handler fails the run with its last reason', async () => {
    // A worker configured for one retry more than the queue allows (processes started with
    // different settings: the last to start sets the queue's) hands its last attempt back and
    // throws, so pg-boss gives the job up into the dead letter queue.
    const { task, run } = await failEveryAttempt(1);
    expect(run).toMatchObject({ reasonMessage: 'navigation_timeout happened (no attempts left)' });
    expect((await queue.boss.boss.getJobById(QUEUES.session, run.jobId!))?.state).toBe('failed');
    await vi.waitFor(
      async () =>
        expect(await deadLetters(run.jobId!)).toEqual([
          { state: 'completed', output: { failed: 'navigation_timeout' } },
        ]),
      { timeout: 10_000, interval: 100 },
    );
    expect((await notifications(task.id)).filter((t) => t === 'failed')).toHaveLength(1);
  }, 40_000);

  it('the reconciler fails a run whose job is gone', async () => {
    const accountIds = await makeAccounts(database().db, 1);
    const { task } = await newTask('r', accountIds, 1);
    const [run] = await runRows(task.id);
    await queue.boss.boss.deleteJob(QUEUES.session, run!.jobId!);
    const report = await reconcile({
      db: database().db,
      boss: queue.boss.boss,
      jobs: queue.jobs,
      log: testLog,
    });
    expect(report.runsFailed).toBe(1);
    expect((await runRows(task.id))[0]).toMatchObject({ status: 'failed', reasonCode: 'job_lost' });
    expect((await taskRow(task.id)).status).toBe('failed');
  });
});

describe('shutdown', () => {
  it('a worker shutting down hands its session back with a new job; another worker finishes it, no retry spent', async () => {
    const steer = steeredRunner();
    const first = await queue.startWorkers(steer.runner, 2);
    const [accountId] = await makeAccounts(database().db, 1);
    const { task } = await newTask('deploy', [accountId!]);
    await steer.waitFor(() => steer.openSessions().length === 1);
    const [before] = await runRows(task.id);
    await first.stop(0); // the grace is over at once: the session is aborted and handed back
    const [handedBack] = await runRows(task.id);
    expect(handedBack).toMatchObject({ status: 'pending', reasonCode: 'interrupted' });
    expect(handedBack!.jobId).not.toBe(before!.jobId);
    const oldJob = await queue.boss.boss.getJobById(QUEUES.session, before!.jobId!);
    expect(oldJob?.state).toBe('completed');

    // The old job, were it ever run again, finds the run no longer its own.
    expect(
      await beginRun(database().db, queue.jobs, {
        runId: before!.id,
        runNumber: before!.runNumber,
        jobId: before!.jobId!,
      }),
    ).toEqual({
      ok: false,
      stale: 'superseded',
    });

    await queue.startWorkers(steer.runner, 2);
    await steer.waitFor(() => steer.openSessions().length === 1);
    steer.release();
    await waitForTask(task.id, 'completed');
    const newJob = await queue.boss.boss.getJobById(QUEUES.session, handedBack!.jobId!);
    expect(newJob?.retryCount).toBe(0);
    expect((await runRows(task.id))[0]).toMatchObject({ status: 'completed', attempts: 2 });
  });
});

describe('cancel', () => {
  it('aborts running sessions, and queued runs never start', async () => {
    const steer = steeredRunner();
    await queue.startWorkers(steer.runner, 4);
    const accountIds = await makeAccounts(database().db, 3);
    const { task } = await newTask('c', accountIds, 1);
    await steer.waitFor(() => steer.openSessions().length === 1);
    const started = Date.now();
    expect((await cancelTask(database().db, queue.jobs, { taskId: task.id, actorId: 5 })).ok).toBe(true);
    await steer.waitFor(() => steer.openSessions().length === 0, 10_000);
    // The cancel reaches the session at its job's next heartbeat (every 2 s, heartbeatRefreshSeconds):
    // 5 s is that with 3 s to spare; a session that ran on until released would never get here.
    expect(Date.now() - started).toBeLessThan(5000);
    expect((await runRows(task.id)).map((r) => r.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    expect((await taskRow(task.id)).status).toBe('cancelled');
    expect(steer.stats.started).toHaveLength(1);
    // Progress events may interleave; the consumer drops those of a task that is no longer running.
    expect((await notifications(task.id)).filter((t) => t !== 'progress')).toEqual(['started', 'cancelled']);
  });
});
