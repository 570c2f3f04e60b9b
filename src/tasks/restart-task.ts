// Restart a finished task: all runs, or only the failed and cancelled ones. One transaction resets
// the task and the runs (clearing both timestamps), bumps the run number, audits and enqueues.
import { eq, type SQL, sql } from 'drizzle-orm';
import { recordAudit } from '../db/audit-repo.ts';
import type { Db, Executor } from '../db/client.ts';
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

    const { task, reset } = await resetRuns(tx, jobs, {
      current,
      runsWhere: (t) => runsOfTask(t.id, from),
      actorId: input.actorId,
      chatId: input.chatId ?? null,
      action: input.scope === 'all' ? 'task.restart' : 'task.restart_failed',
    });
    return { ok: true, task, runs: reset };
  });
}

/**
 * The restart itself, under the task's row lock taken by the caller (the task is restartable):
 * the task back to PENDING with the next run number, the runs `runsWhere` picks reset with it,
 * audited, dispatched, announced.
 */
export async function resetRuns(
  tx: Executor,
  jobs: JobPort,
  input: {
    current: TaskRow;
    runsWhere: (task: TaskRow) => SQL | undefined;
    actorId: number | null;
    chatId: number | null;
    action: string;
    details?: Record<string, unknown>;
  },
): Promise<{ task: TaskRow; reset: RunRow[] }> {
  const { current } = input;
  const [task] = await transitionRows(tx, tasks, TRANSITIONS.restart, eq(tasks.id, current.id), {
    runNumber: sql`${tasks.runNumber} + 1`,
    restartedBy: input.actorId,
    chatId: input.chatId ?? current.chatId,
    progressMessageId: null,
  });
  if (!task) throw new Error(`task ${current.id} changed under its row lock`);
  const reset = await transitionRows(tx, runs, TRANSITIONS.restart, input.runsWhere(task), {
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
    action: input.action,
    taskId: task.id,
    details: { ...input.details, runNumber: task.runNumber, runs: reset.map((r) => r.id) },
  });
  await jobs.dispatch(tx, task);
  await jobs.publish(tx, await buildTaskEvent(tx, task, 'restarted', input.actorId));
  return { task, reset };
}
