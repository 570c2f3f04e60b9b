// Brings a task's status in line with its runs (DOMAIN.md: RUNNING while any run runs, COMPLETED
// when all completed, FAILED when finished with a failure). Called in the transaction that
// changed a run, under the task's row lock, so two runs finishing at once agree on one outcome.
import type { Executor } from '../db/client.ts';
import { transitionTask } from '../db/lifecycle-repo.ts';
import type { TaskRow } from '../db/schema.ts';
import { findTask, runStatesOf } from '../db/tasks-repo.ts';
import { deriveTaskStatus, type Status, TRANSITIONS, transitionTowards } from './lifecycle.ts';

export type TaskSync = { task: TaskRow; changed: boolean; previous: Status };

export async function syncTaskStatus(tx: Executor, taskId: number): Promise<TaskSync | undefined> {
  const current = await findTask(tx, taskId, { forUpdate: true });
  if (!current) return undefined;
  const previous: Status = current.status;
  const target = deriveTaskStatus(await runStatesOf(tx, taskId));
  const name = transitionTowards(previous, target);
  if (!name) return { task: current, changed: false, previous };
  const task = await transitionTask(tx, taskId, TRANSITIONS[name]);
  return task ? { task, changed: true, previous } : { task: current, changed: false, previous };
}
