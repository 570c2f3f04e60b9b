// Cancel a queued or running task: the task and its unfinished runs end CANCELLED in one
// transaction, and the job system is told to drop queued jobs and abort running sessions.
import { recordAudit } from '../db/audit-repo.ts';
import type { Db } from '../db/client.ts';
import { transitionRunsOfTask, transitionTask } from '../db/lifecycle-repo.ts';
import type { RunRow, TaskRow } from '../db/schema.ts';
import { findTask } from '../db/tasks-repo.ts';
import { buildTaskEvent } from './events.ts';
import { canApply, refusalReason, type Status, TRANSITIONS } from './lifecycle.ts';
import type { JobPort } from './ports.ts';

export type CancelResult =
  | { ok: true; task: TaskRow; runs: RunRow[] }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'finished'; status: Status; message: string };

export async function cancelTask(
  db: Db,
  jobs: JobPort,
  input: { taskId: number; actorId: number | null },
): Promise<CancelResult> {
  return db.transaction(async (tx) => {
    const current = await findTask(tx, input.taskId, { forUpdate: true });
    if (!current) return { ok: false, reason: 'not_found' };
    const status = current.status;
    if (!canApply('cancel', status)) {
      return { ok: false, reason: 'finished', status, message: refusalReason('cancel', status) ?? '' };
    }
    const task = await transitionTask(tx, input.taskId, TRANSITIONS.cancel);
    if (!task) throw new Error(`task ${input.taskId} changed under its row lock`);
    // Its unfinished runs: the ones the transition's own `from` admits.
    const cancelled = await transitionRunsOfTask(
      tx,
      task.id,
      TRANSITIONS.cancel,
      {},
      {
        reasonCode: 'cancelled',
        reasonMessage: 'cancelled by a user',
      },
    );
    await recordAudit(tx, { actorId: input.actorId, action: 'task.cancel', taskId: task.id, details: {} });
    await jobs.cancelRuns(tx, cancelled);
    await jobs.publish(tx, await buildTaskEvent(tx, task, 'cancelled', input.actorId));
    return { ok: true, task, runs: cancelled };
  });
}
