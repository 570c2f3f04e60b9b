// A run's life on a worker: begin (PENDING → RUNNING, the task follows) and finish (completed,
// failed, handed back). Locks the task before the run, like restart and cancel, so the three
// never deadlock; a job whose run was restarted or finished meanwhile is told it is stale.
import { eq } from 'drizzle-orm';
import { type AccountRunResult, findAccount, recordAccountRunResult } from '../db/accounts-repo.ts';
import type { Db, Executor } from '../db/client.ts';
import { transitionRows } from '../db/lifecycle-repo.ts';
import { saveScreenshot } from '../db/runs-repo.ts';
import { type AccountRow, type RunRow, runs, type TaskRow } from '../db/schema.ts';
import { findRun, findTask } from '../db/tasks-repo.ts';
import { buildTaskEvent } from './events.ts';
import { isFinished, type Status, TRANSITIONS } from './lifecycle.ts';
import type { JobPort } from './ports.ts';
import { syncTaskStatus } from './sync-task-status.ts';

/** Which run a job is about; `jobId`, when given, fences off jobs the run no longer belongs to. */
export type RunRef = { runId: number; runNumber: number; jobId?: string };

export type BeginResult =
  | { ok: true; run: RunRow; task: TaskRow; account: AccountRow; resumed: boolean }
  | { ok: false; stale: Stale };

type Stale = 'missing' | 'restarted' | 'superseded' | 'finished';
type Locked = { stale: Stale } | { task: TaskRow; run: RunRow };

async function lockRun(tx: Executor, ref: RunRef): Promise<Locked> {
  const peek = await findRun(tx, ref.runId);
  if (!peek) return { stale: 'missing' };
  const task = await findTask(tx, peek.taskId, { forUpdate: true });
  const [run] = await tx.select().from(runs).where(eq(runs.id, ref.runId)).for('update');
  if (!task || !run) return { stale: 'missing' };
  if (run.runNumber !== ref.runNumber) return { stale: 'restarted' };
  // Handed back with a new job (a deploy): an older job of the same run number must not run it.
  if (ref.jobId && run.jobId && run.jobId !== ref.jobId) return { stale: 'superseded' };
  if (isFinished(run.status as Status)) return { stale: 'finished' };
  return { task, run };
}

export async function beginRun(db: Db, jobs: JobPort, ref: RunRef): Promise<BeginResult> {
  return db.transaction(async (tx) => {
    const locked = await lockRun(tx, ref);
    if ('stale' in locked) return { ok: false, stale: locked.stale };
    // RUNNING already: the previous attempt's worker died and pg-boss retried the job.
    const resumed = locked.run.status === 'running';
    const where = eq(runs.id, ref.runId);
    if (resumed) await transitionRows(tx, runs, TRANSITIONS.requeue, where);
    const [run] = await transitionRows(tx, runs, TRANSITIONS.start, where, {
      attempts: locked.run.attempts + 1,
    });
    const account = await findAccount(tx, locked.run.accountId);
    if (!run || !account) throw new Error(`run ${ref.runId} could not start`);
    const sync = await syncTaskStatus(tx, run.taskId);
    if (sync?.changed && sync.task.status === 'running') {
      await jobs.publish(tx, await buildTaskEvent(tx, sync.task, 'started', sync.task.restartedBy));
    }
    return { ok: true, run, task: sync?.task ?? locked.task, account, resumed };
  });
}

export type RunEnding =
  | { kind: 'completed'; counters: Record<string, number>; cappedByTime: boolean }
  | {
      kind: 'failed';
      code: string;
      message: string;
      counters?: Record<string, number>;
      screenshot?: Buffer | null;
    }
  /**
   * Back to the queue: a transient failure with attempts left (the job is retried) or, with
   * `redispatch`, a worker shutting down (a new job is queued now, costing no retry).
   */
  | { kind: 'requeue'; code: string; message: string; redispatch?: boolean };

export type FinishResult = { applied: boolean; run?: RunRow; task?: TaskRow };

export async function finishRun(
  db: Db,
  jobs: JobPort,
  ref: RunRef,
  ending: RunEnding,
  account?: AccountRunResult,
): Promise<FinishResult> {
  return db.transaction(async (tx) => {
    const locked = await lockRun(tx, ref);
    // A run fails from the queue too (dead letters, the reconciler); it completes or is handed
    // back only while it runs.
    const from = ending.kind === 'failed' ? TRANSITIONS.fail.from : (['running'] as const);
    if ('stale' in locked || !(from as readonly string[]).includes(locked.run.status))
      return { applied: false };
    const where = eq(runs.id, ref.runId);
    const [run] =
      ending.kind === 'completed'
        ? await transitionRows(tx, runs, TRANSITIONS.complete, where, {
            counters: ending.counters,
            cappedByTime: ending.cappedByTime,
            reasonCode: null,
            reasonMessage: null,
          })
        : ending.kind === 'failed'
          ? await transitionRows(tx, runs, TRANSITIONS.fail, where, {
              ...(ending.counters ? { counters: ending.counters } : {}),
              reasonCode: ending.code,
              reasonMessage: ending.message,
            })
          : await transitionRows(tx, runs, TRANSITIONS.requeue, where, {
              reasonCode: ending.code,
              reasonMessage: ending.message,
              ...(ending.redispatch ? { jobId: null } : {}),
            });
    if (!run) return { applied: false };
    if (ending.kind === 'failed' && ending.screenshot?.length) {
      await saveScreenshot(tx, run.id, run.runNumber, ending.screenshot);
    }
    if (account) await recordAccountRunResult(tx, run.accountId, account);
    const task = await settleTask(tx, jobs, run.taskId);
    return { applied: true, run, task };
  });
}

/**
 * After a run changed: bring the task's status in line, tell the chat when the task finished
 * (exactly once: only the transaction that moves the task into a finished status gets here),
 * and start the next waiting runs of the task.
 */
export async function settleTask(tx: Executor, jobs: JobPort, taskId: number): Promise<TaskRow | undefined> {
  const sync = await syncTaskStatus(tx, taskId);
  if (!sync) return undefined;
  const status = sync.task.status as Status;
  if (sync.changed && (status === 'completed' || status === 'failed')) {
    await jobs.publish(tx, await buildTaskEvent(tx, sync.task, status, sync.task.restartedBy));
  }
  if (!isFinished(status)) await jobs.dispatch(tx, sync.task);
  return sync.task;
}
