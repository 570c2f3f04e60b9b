// /retry_failed: the failed runs that match a reason and a window (by when they failed), grouped
// by task, and their restart — each task in its own transaction under its row lock, restarting
// only the runs that still match then (a run restarted or failed again since is not touched).
import type { Db } from '../db/client.ts';
import { type FailedRunFilter, failedRunsIn, lockFailedRunsOfTask } from '../db/retry-repo.ts';
import { findTask } from '../db/tasks-repo.ts';
import { canApply } from './lifecycle.ts';
import type { JobPort } from './ports.ts';
import { resetRuns } from './restart-task.ts';

export type { FailedRunFilter };

/** `paused`: how many of the runs are of accounts in quarantine (they will likely fail again). */
export type FailedSelection = { runs: number; tasks: number; paused: number; byTask: Map<number, number[]> };

export async function findFailedRuns(db: Db, filter: FailedRunFilter): Promise<FailedSelection> {
  const rows = await failedRunsIn(db, filter);
  const byTask = new Map<number, number[]>();
  for (const r of rows) byTask.set(r.taskId, [...(byTask.get(r.taskId) ?? []), r.runId]);
  return { runs: rows.length, tasks: byTask.size, paused: rows.filter((r) => r.paused).length, byTask };
}

export type RetryResult = { runs: number; tasks: number; busy: number };

export async function retryFailedRuns(
  db: Db,
  jobs: JobPort,
  input: { filter: FailedRunFilter; actorId: number; chatId: number | null },
): Promise<RetryResult> {
  const found = await findFailedRuns(db, input.filter);
  const result: RetryResult = { runs: 0, tasks: 0, busy: 0 };
  // Ascending task ids: two retries at once lock in the same order.
  for (const taskId of [...found.byTask.keys()].sort((a, b) => a - b)) {
    const outcome = await db.transaction(async (tx) => {
      const current = await findTask(tx, taskId, { forUpdate: true });
      if (!current) return 'gone' as const;
      // Still running other accounts: its failed runs wait for the task to finish.
      if (!canApply('restart', current.status)) return 'busy' as const;
      const ids = await lockFailedRunsOfTask(tx, taskId, input.filter);
      if (ids.length === 0) return 'gone' as const;
      const { reset } = await resetRuns(tx, jobs, {
        current,
        runs: { statuses: ['failed'], ids },
        actorId: input.actorId,
        chatId: input.chatId,
        action: 'task.retry_failed',
        details: {
          reason: input.filter.reason,
          since: input.filter.since.toISOString(),
          until: input.filter.until.toISOString(),
        },
      });
      return reset.length;
    });
    if (outcome === 'busy') result.busy++;
    else if (typeof outcome === 'number' && outcome > 0) {
      result.runs += outcome;
      result.tasks++;
    }
  }
  return result;
}
