// Restart a finished task: all runs, or only the failed and cancelled ones. One transaction resets
// the task and the runs (clearing both timestamps), bumps the run number, audits and enqueues.
import { eq, sql } from 'drizzle-orm';
import { recordAudit } from '../db/audit-repo.ts';
import type { Db } from '../db/client.ts';
import { transitionRows } from '../db/lifecycle-repo.ts';
import { type RunRow, runs, type TaskRow, tasks } from '../db/schema.ts';
import { findTask, runStatusesOf, runsOfTask } from '../db/tasks-repo.ts';
import { buildTaskEvent } from './events.ts';
import { canApply, refusalReason, type Status, TRANSITIONS } from './lifecycle.ts';
import type { JobPort } from './ports.ts';

export type RestartScope = 'all' | 'failed';

const RESET_FROM: Record<RestartScope, readonly Status[]> = {
  all: ['completed', 'failed', 'cancelled'],
  failed: ['failed', 'cancelled'],
};

export type RestartInput = {
  taskId: number;
  scope: RestartScope;
  actorId: number | null;
  chatId?: number | null;
};

export type RestartResult =
  | { ok: true; task: TaskRow; runs: RunRow[] }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'busy'; status: Status; message: string }
  | { ok: false; reason: 'nothing_failed' };

export async function restartTask(db: Db, jobs: JobPort, input: RestartInput): Promise<RestartResult> {
  return db.transaction(async (tx) => {
    // The row lock serialises concurrent restarts: the second one sees PENDING and is refused.
    const current = await findTask(tx, input.taskId, { forUpdate: true });
    if (!current) return { ok: false, reason: 'not_found' };
    const status = current.status;
    if (!canApply('restart', status)) {
      return { ok: false, reason: 'busy', status, message: refusalReason('restart', status) ?? '' };
    }
    const from = RESET_FROM[input.scope];
    if (input.scope === 'failed') {
      const statuses = await runStatusesOf(tx, input.taskId);
      if (!statuses.some((s) => from.includes(s))) return { ok: false, reason: 'nothing_failed' };
    }

    const [task] = await transitionRows(tx, tasks, TRANSITIONS.restart, eq(tasks.id, input.taskId), {
      runNumber: sql`${tasks.runNumber} + 1`,
      restartedBy: input.actorId,
      chatId: input.chatId ?? current.chatId,
      progressMessageId: null,
    });
    if (!task) throw new Error(`task ${input.taskId} changed under its row lock`);
    const reset = await transitionRows(tx, runs, TRANSITIONS.restart, runsOfTask(task.id, from), {
      runNumber: task.runNumber,
      counters: {},
      cappedByTime: false,
      reasonCode: null,
      reasonMessage: null,
      attempts: 0,
      jobId: null,
    });
    await recordAudit(tx, {
      actorId: input.actorId,
      action: input.scope === 'all' ? 'task.restart' : 'task.restart_failed',
      taskId: task.id,
      details: { runNumber: task.runNumber, runs: reset.map((r) => r.id) },
    });
    await jobs.dispatch(tx, task);
    await jobs.publish(tx, await buildTaskEvent(tx, task, 'restarted', input.actorId));
    return { ok: true, task, runs: reset };
  });
}
