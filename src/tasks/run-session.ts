// A run's life on a worker: begin (PENDING → RUNNING, the task follows; a removed account's run is
// cancelled instead) and finish (completed, failed, handed back; with the run's totals across
// attempts). Locks the task before the run, like restart and cancel, so the three never deadlock;
// a job whose run was restarted or finished meanwhile is told it is stale.
import {
  type AccountRunResult,
  findAccount,
  recordAccountHealth,
  recordAccountRunResult,
} from '../db/accounts-repo.ts';
import type { Db, Executor } from '../db/client.ts';
import { transitionRun } from '../db/lifecycle-repo.ts';
import { quarantineAccount } from '../db/quarantine-repo.ts';
import { clearRunJob, saveScreenshot } from '../db/runs-repo.ts';
import type { AccountRow, RunRow, TaskRow } from '../db/schema.ts';
import { findRun, findTask } from '../db/tasks-repo.ts';
import { quarantines } from '../warmup/failure-reasons.ts';
import { buildTaskEvent } from './events.ts';
import { isFinished, type Status, TRANSITIONS } from './lifecycle.ts';
import type { JobPort } from './ports.ts';
import { syncTaskStatus } from './sync-task-status.ts';

/**
 * Which run a job is about. `jobId`, when given, fences off jobs the run no longer belongs to;
 * `attempt` (the job's pg-boss retryCount), when given, fences off an older attempt of that job
 * whose claim was lost: once a newer attempt began the run, the older one writes nothing.
 */
export type RunRef = { runId: number; runNumber: number; jobId?: string; attempt?: number };

export type BeginResult =
  | { ok: true; run: RunRow; task: TaskRow; account: AccountRow; resumed: boolean }
  | { ok: false; stale: Stale };

type Stale = 'missing' | 'restarted' | 'superseded' | 'finished' | 'account removed';
type Locked = { stale: Stale } | { task: TaskRow; run: RunRow };

/** Why a job may not touch its run (undefined: it may). Read without locks by callers that peek. */
export function staleness(run: RunRow, ref: RunRef, beginning = false): Stale | undefined {
  if (run.runNumber !== ref.runNumber) return 'restarted';
  // Handed back with a new job (a deploy): an older job of the same run number must not run it.
  if (ref.jobId && run.jobId && run.jobId !== ref.jobId) return 'superseded';
  if (ref.attempt !== undefined && run.jobAttempt !== null) {
    // A newer attempt of this job began the run: the older attempt lost its claim.
    if (beginning ? run.jobAttempt > ref.attempt : run.jobAttempt !== ref.attempt) return 'superseded';
  }
  if (isFinished(run.status)) return 'finished';
  return undefined;
}

async function lockRun(tx: Executor, ref: RunRef, beginning = false): Promise<Locked> {
  const peek = await findRun(tx, ref.runId);
  if (!peek) return { stale: 'missing' };
  const task = await findTask(tx, peek.taskId, { forUpdate: true });
  const run = await findRun(tx, ref.runId, { forUpdate: true });
  if (!task || !run) return { stale: 'missing' };
  const stale = staleness(run, ref, beginning);
  return stale ? { stale } : { task, run };
}

export async function beginRun(db: Db, jobs: JobPort, ref: RunRef): Promise<BeginResult> {
  return db.transaction(async (tx) => {
    const locked = await lockRun(tx, ref, true);
    if ('stale' in locked) return { ok: false, stale: locked.stale };
    // RUNNING already: the previous attempt's worker died and pg-boss retried the job. This
    // attempt holds the account's lease, so the previous one's browser is gone.
    const resumed = locked.run.status === 'running';
    const account = await findAccount(tx, locked.run.accountId);
    if (!account) throw new Error(`run ${ref.runId} could not start: its account is missing`);
    // Removed after the run was queued (a restart, a guided /new, a programme slot claimed while the
    // removal was under way): the account's login and proxy are not used again.
    if (account.removedAt) {
      await transitionRun(tx, ref.runId, TRANSITIONS.cancel, {
        reasonCode: 'cancelled',
        reasonMessage: 'the account was removed',
      });
      await settleTask(tx, jobs, locked.task.id, { cancelledBy: null });
      return { ok: false, stale: 'account removed' };
    }
    if (resumed) await transitionRun(tx, ref.runId, TRANSITIONS.requeue);
    // The run's targets are drawn at its first attempt, from the settings the session runs with
    // (the jobs' run ledger), and kept for every later attempt: a restart clears them.
    const run = await transitionRun(tx, ref.runId, TRANSITIONS.start, {
      attempts: locked.run.attempts + 1,
      ...(ref.attempt !== undefined ? { jobAttempt: ref.attempt } : {}),
    });
    if (!run) throw new Error(`run ${ref.runId} could not start`);
    const sync = await syncTaskStatus(tx, run.taskId);
    if (sync?.changed && sync.task.status === 'running') {
      await jobs.publish(tx, await buildTaskEvent(tx, sync.task, 'started', sync.task.restartedBy));
    }
    return { ok: true, run, task: sync?.task ?? locked.task, account, resumed };
  });
}

/**
 * The run's totals across its attempts: the counters last written (the current attempt's, which
 * start from the earlier ones'), the `latest` of the ending, and — over both — the effects as
 * recorded before they happened, the one count no lost write or crash can make too low or too high.
 */
export function runTotals(
  run: Pick<RunRow, 'counters' | 'effects'>,
  latest: Record<string, number> = {},
): Record<string, number> {
  return { ...wholeNumbers(run.counters), ...latest, ...wholeNumbers(run.effects) };
}

function wholeNumbers(value: unknown): Record<string, number> {
  if (typeof value !== 'object' || value === null) return {};
  return Object.fromEntries(
    Object.entries(value).filter(([, n]) => typeof n === 'number' && Number.isInteger(n) && n >= 0),
  );
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

/** `loginKept: false`: the account's saved login changed during the run, so the run's was not saved. */
export type FinishResult = { applied: boolean; run?: RunRow; task?: TaskRow; loginKept?: boolean };

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
    const from: readonly Status[] = ending.kind === 'failed' ? TRANSITIONS.fail.from : ['running'];
    if ('stale' in locked || !from.includes(locked.run.status)) {
      // What the browser saw of the account is true whoever owns the run now.
      const seen = account?.health && account.health !== 'ok' ? account.health : undefined;
      const run = seen ? await findRun(tx, ref.runId) : undefined;
      if (seen && run) await recordAccountHealth(tx, run.accountId, seen, account?.healthMessage ?? null);
      return { applied: false };
    }
    const run =
      ending.kind === 'completed'
        ? await transitionRun(tx, ref.runId, TRANSITIONS.complete, {
            counters: runTotals(locked.run, ending.counters),
            cappedByTime: ending.cappedByTime,
            reasonCode: null,
            reasonMessage: null,
          })
        : ending.kind === 'failed'
          ? await transitionRun(tx, ref.runId, TRANSITIONS.fail, {
              counters: runTotals(locked.run, ending.counters),
              reasonCode: ending.code,
              reasonMessage: ending.message,
            })
          : await transitionRun(tx, ref.runId, TRANSITIONS.requeue, {
              reasonCode: ending.code,
              reasonMessage: ending.message,
              ...(ending.redispatch ? { jobId: null } : {}),
            });
    if (!run) return { applied: false };
    if (ending.kind === 'failed' && ending.screenshot?.length) {
      await saveScreenshot(tx, run.id, run.runNumber, ending.screenshot);
    }
    // Before the task settles, so the failure notice built below knows this run quarantined it.
    if (ending.kind === 'failed' && quarantines(ending.code)) {
      await quarantineAccount(tx, run.accountId, ending.code, run.id);
    }
    let loginKept: boolean | undefined;
    if (account) loginKept = await recordAccountRunResult(tx, run.accountId, account);
    const task = await settleTask(tx, jobs, run.taskId);
    return { applied: true, run, task, ...(loginKept === false ? { loginKept } : {}) };
  });
}

/**
 * After a run changed: bring the task's status in line, tell the chat when the task finished
 * (exactly once: only the transaction that moves the task into a finished status gets here),
 * and start the next waiting runs of the task.
 */
export async function settleTask(
  tx: Executor,
  jobs: JobPort,
  taskId: number,
  options: { cancelledBy?: number | null } = {},
): Promise<TaskRow | undefined> {
  const sync = await syncTaskStatus(tx, taskId);
  if (!sync) return undefined;
  const status = sync.task.status;
  // A task a user cancelled was announced by the cancel; one whose runs were cancelled for it (an
  // account removed) is announced here, by whoever caused it.
  if (sync.changed && isFinished(status) && (status !== 'cancelled' || 'cancelledBy' in options)) {
    const actor = status === 'cancelled' ? (options.cancelledBy ?? null) : sync.task.restartedBy;
    await jobs.publish(tx, await buildTaskEvent(tx, sync.task, status, actor));
  }
  if (!isFinished(status)) await jobs.dispatch(tx, sync.task);
  return sync.task;
}

/**
 * A session that could not take its account's lease in time goes back to the queue: its run, still
 * PENDING under this job, gets a new job that starts after `delaySeconds`. No retry is spent, and
 * the task may meanwhile start a run whose account is free. False when the run is not this job's
 * to hand back (it began under an older attempt, or moved on).
 */
export async function deferRun(db: Db, jobs: JobPort, ref: RunRef, delaySeconds: number): Promise<boolean> {
  return db.transaction(async (tx) => {
    const locked = await lockRun(tx, ref, true);
    if ('stale' in locked || locked.run.status !== 'pending') return false;
    await clearRunJob(tx, ref.runId);
    await jobs.dispatch(tx, locked.task, { notBeforeSeconds: delaySeconds });
    return true;
  });
}
