// The lifecycle applied to real rows: conditional updates, timestamps, restart and its races.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { transitionRows } from '../../src/db/lifecycle-repo.ts';
import { accounts, auditLog, runs, tasks } from '../../src/db/schema.ts';
import { cancelTask } from '../../src/tasks/cancel-task.ts';
import { canApply, STATUSES, TRANSITIONS, type TransitionName } from '../../src/tasks/lifecycle.ts';
import { restartTask } from '../../src/tasks/restart-task.ts';
import { syncTaskStatus } from '../../src/tasks/sync-task-status.ts';
import { useTestDatabase } from '../support/db.ts';
import { forceStatus, makeTask, recordingJobs } from '../support/fixtures.ts';

const database = useTestDatabase();

describe('transitions as conditional updates', () => {
  for (const [label, table] of [
    ['task', tasks],
    ['run', runs],
  ] as const) {
    for (const name of Object.keys(TRANSITIONS) as TransitionName[]) {
      it(`${label}: ${name} applies exactly from ${TRANSITIONS[name].from.join('/')}`, async () => {
        const { db } = database();
        for (const status of STATUSES) {
          const {
            task,
            runs: [run],
          } = await makeTask(db, [status], status);
          const id = label === 'task' ? task.id : run!.id;
          const t = table as typeof tasks;
          const [before] = await db.select().from(t).where(eq(t.id, id));
          const changed = await transitionRows(db, t, TRANSITIONS[name], eq(t.id, id));
          const [after] = await db.select().from(t).where(eq(t.id, id));
          if (!canApply(name, status)) {
            expect(changed, `${name} from ${status}`).toEqual([]);
            expect(after).toEqual(before);
            continue;
          }
          expect(changed).toHaveLength(1);
          expect(after!.status).toBe(TRANSITIONS[name].to);
          const effects = {
            startedAt: TRANSITIONS[name].startedAt,
            completedAt: TRANSITIONS[name].completedAt,
          };
          for (const [column, effect] of Object.entries(effects) as ['startedAt' | 'completedAt', string][]) {
            if (effect === 'clear') expect(after![column], column).toBeNull();
            if (effect === 'keep') expect(after![column], column).toEqual(before![column]);
            if (effect === 'now')
              expect(after![column]!.getTime()).toBeGreaterThan(before![column]?.getTime() ?? 0);
          }
          expect(after!.updatedAt.getTime()).toBeGreaterThanOrEqual(before!.updatedAt.getTime());
        }
      });
    }
  }
});

describe('restart', () => {
  it('clears both timestamps on the task and every run, bumps the run number, records who', async () => {
    const { db } = database();
    const jobs = recordingJobs();
    const { task, runs: before } = await makeTask(db, ['completed', 'completed']);
    expect(task.startedAt).not.toBeNull();
    expect(task.completedAt).not.toBeNull();

    const result = await restartTask(db, jobs, { taskId: task.id, scope: 'all', actorId: 42, chatId: -500 });
    expect(result.ok).toBe(true);
    const [after] = await db.select().from(tasks).where(eq(tasks.id, task.id));
    expect(after).toMatchObject({
      status: 'pending',
      startedAt: null,
      completedAt: null,
      runNumber: task.runNumber + 1,
      restartedBy: 42,
      chatId: -500,
    });
    const runRows = await db.select().from(runs).where(eq(runs.taskId, task.id));
    expect(runRows).toHaveLength(before.length);
    for (const run of runRows) {
      expect(run).toMatchObject({
        status: 'pending',
        startedAt: null,
        completedAt: null,
        runNumber: after!.runNumber,
      });
    }
    expect(jobs.dispatched).toEqual([task.id]);
    expect(jobs.events.map((e) => [e.type, e.taskId, e.actorId, e.chatId])).toEqual([
      ['restarted', task.id, 42, -500],
    ]);
    const audit = await db.select().from(auditLog).where(eq(auditLog.taskId, task.id));
    expect(audit.map((a) => [a.action, a.actorId])).toEqual([['task.restart', 42]]);
  });

  it('"failed" scope resets only failed and cancelled runs; completed ones keep everything', async () => {
    const { db } = database();
    const jobs = recordingJobs();
    const { task, runs: before } = await makeTask(db, ['completed', 'failed', 'completed', 'cancelled']);
    const result = await restartTask(db, jobs, { taskId: task.id, scope: 'failed', actorId: 7 });
    expect(result.ok && result.runs.map((r) => r.id).sort()).toEqual([before[1]!.id, before[3]!.id].sort());
    const after = await db.select().from(runs).where(eq(runs.taskId, task.id)).orderBy(runs.id);
    expect(after[0]).toEqual(before[0]);
    expect(after[2]).toEqual(before[2]);
    expect(after[1]).toMatchObject({ status: 'pending', startedAt: null, completedAt: null });
  });

  it('"healthy" scopes reset only the runs of warmable, unquarantined accounts; the others keep everything', async () => {
    const { db } = database();
    const jobs = recordingJobs();
    const { task, runs: before } = await makeTask(db, [
      'completed',
      'failed',
      'failed',
      'cancelled',
      'failed',
    ]);
    const ids = before.map((r) => r.accountId);
    await db.update(accounts).set({ health: 'captcha' }).where(eq(accounts.id, ids[1]!));
    await db.update(accounts).set({ quarantinedAt: new Date() }).where(eq(accounts.id, ids[2]!));
    // proxy_error is a health problem a new session may well not have: it is restarted.
    await db.update(accounts).set({ health: 'proxy_error' }).where(eq(accounts.id, ids[4]!));

    const failedOnly = await restartTask(db, jobs, { taskId: task.id, scope: 'failedHealthy', actorId: 7 });
    expect(failedOnly.ok && failedOnly.runs.map((r) => r.id).sort()).toEqual(
      [before[3]!.id, before[4]!.id].sort(),
    );
    let after = await db.select().from(runs).where(eq(runs.taskId, task.id)).orderBy(runs.id);
    for (const i of [0, 1, 2]) expect(after[i]).toEqual(before[i]);

    for (const i of [3, 4]) await forceStatus(db, runs, before[i]!.id, 'completed');
    await forceStatus(db, tasks, task.id, 'failed');
    const all = await restartTask(db, jobs, { taskId: task.id, scope: 'healthy', actorId: 7 });
    expect(all.ok && all.runs.map((r) => r.id).sort()).toEqual(
      [before[0]!.id, before[3]!.id, before[4]!.id].sort(),
    );
    after = await db.select().from(runs).where(eq(runs.taskId, task.id)).orderBy(runs.id);
    expect(after[1]).toEqual(before[1]);
    expect(after[2]).toEqual(before[2]);
    const audit = await db.select().from(auditLog).where(eq(auditLog.taskId, task.id)).orderBy(auditLog.id);
    expect(audit.map((a) => a.action)).toEqual(['task.restart_failed_healthy', 'task.restart_healthy']);
  });

  it('a "healthy" restart with no healthy account left refuses and changes nothing', async () => {
    const { db } = database();
    const jobs = recordingJobs();
    const { task, runs: taskRuns } = await makeTask(db, ['failed', 'completed']);
    await db.update(accounts).set({ health: 'logged_out' }).where(eq(accounts.id, taskRuns[0]!.accountId));
    await db.update(accounts).set({ health: 'blocked' }).where(eq(accounts.id, taskRuns[1]!.accountId));
    for (const scope of ['healthy', 'failedHealthy'] as const) {
      expect(await restartTask(db, jobs, { taskId: task.id, scope, actorId: 1 })).toEqual({
        ok: false,
        reason: 'none_healthy',
      });
    }
    const [row] = await db.select().from(tasks).where(eq(tasks.id, task.id));
    expect(row).toEqual(task);
    expect(jobs.dispatched).toEqual([]);
  });

  it('refuses a queued or running task, an unknown id, and "failed" with nothing failed — changing nothing', async () => {
    const { db } = database();
    const jobs = recordingJobs();
    const pending = await makeTask(db, ['pending']);
    const running = await makeTask(db, ['running', 'completed']);
    const done = await makeTask(db, ['completed']);
    expect(await restartTask(db, jobs, { taskId: pending.task.id, scope: 'all', actorId: 1 })).toEqual({
      ok: false,
      reason: 'busy',
      status: 'pending',
      message: 'it is already queued',
    });
    expect(await restartTask(db, jobs, { taskId: running.task.id, scope: 'all', actorId: 1 })).toMatchObject({
      ok: false,
      message: 'it is still running',
    });
    expect(await restartTask(db, jobs, { taskId: 999_999, scope: 'all', actorId: 1 })).toEqual({
      ok: false,
      reason: 'not_found',
    });
    expect(await restartTask(db, jobs, { taskId: done.task.id, scope: 'failed', actorId: 1 })).toEqual({
      ok: false,
      reason: 'nothing_failed',
    });
    for (const fixture of [pending, running, done]) {
      const [row] = await db.select().from(tasks).where(eq(tasks.id, fixture.task.id));
      expect(row).toEqual(fixture.task);
    }
    expect(jobs.dispatched).toEqual([]);
    expect(jobs.events).toEqual([]);
  });

  it('50 concurrent restarts of one task apply exactly one', async () => {
    const { db } = database();
    const jobs = recordingJobs();
    const { task } = await makeTask(db, ['failed', 'completed', 'completed']);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        restartTask(db, jobs, { taskId: task.id, scope: 'all', actorId: i + 1 }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.reason === 'busy')).toHaveLength(49);
    const [after] = await db.select().from(tasks).where(eq(tasks.id, task.id));
    expect(after!.runNumber).toBe(task.runNumber + 1);
    expect(jobs.dispatched).toEqual([task.id]);
    expect(jobs.events).toHaveLength(1);
    const reset = await db.select().from(runs).where(eq(runs.taskId, task.id));
    expect(reset.map((r) => [r.status, r.runNumber])).toEqual(Array(3).fill(['pending', task.runNumber + 1]));
    const audit = await db.select().from(auditLog).where(eq(auditLog.taskId, task.id));
    expect(audit).toHaveLength(1);
  });
});

describe('cancel and derived status', () => {
  it('cancel ends the task and its unfinished runs, leaving finished runs alone', async () => {
    const { db } = database();
    const jobs = recordingJobs();
    const { task, runs: before } = await makeTask(db, ['running', 'pending', 'completed']);
    const result = await cancelTask(db, jobs, { taskId: task.id, actorId: 3 });
    expect(result.ok).toBe(true);
    const after = await db.select().from(runs).where(eq(runs.taskId, task.id)).orderBy(runs.id);
    expect(after.map((r) => r.status)).toEqual(['cancelled', 'cancelled', 'completed']);
    expect(after[0]!.completedAt).not.toBeNull();
    expect(after[2]).toEqual(before[2]);
    expect(jobs.cancelled).toEqual([[before[0]!.id, before[1]!.id]]);
    expect(await cancelTask(db, jobs, { taskId: task.id, actorId: 3 })).toMatchObject({
      ok: false,
      reason: 'finished',
      message: 'it has already been cancelled',
    });
  });

  it('a task follows its runs: started with the first, finished with the last', async () => {
    const { db } = database();
    const { task, runs: created } = await makeTask(db, ['pending', 'pending']);
    const step = async (runId: number, name: TransitionName) =>
      db.transaction(async (tx) => {
        await transitionRows(tx, runs, TRANSITIONS[name], eq(runs.id, runId));
        return syncTaskStatus(tx, task.id);
      });
    expect((await step(created[0]!.id, 'start'))?.task.status).toBe('running');
    expect((await step(created[0]!.id, 'complete'))?.task.status).toBe('running');
    expect((await step(created[1]!.id, 'start'))?.changed).toBe(false);
    const last = await step(created[1]!.id, 'fail');
    expect(last?.task).toMatchObject({ status: 'failed' });
    expect(last!.task.startedAt!.getTime()).toBeLessThanOrEqual(last!.task.completedAt!.getTime());
  });
});
