// What the use cases need from the job system, implemented in src/jobs. Calls take the open
// transaction so that a task's rows and its jobs commit together or not at all.
import type { Executor } from '../db/client.ts';
import type { RunRow, TaskRow } from '../db/schema.ts';

export type RunQueue = {
  /** Queue one job per run, inside `tx`. */
  enqueueRuns(tx: Executor, task: TaskRow, runs: readonly RunRow[]): Promise<void>;
  /** Stop the jobs of these runs (queued ones never start, running ones are aborted). */
  cancelRuns(tx: Executor, runs: readonly RunRow[]): Promise<void>;
};
