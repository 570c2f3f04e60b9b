// What the use cases need from the job system, implemented in src/jobs. Every call takes the open
// transaction, so a task's rows, its jobs and its notifications commit together or not at all.
import type { Executor } from '../db/client.ts';
import type { RunRow, TaskRow } from '../db/schema.ts';
import type { TaskEvent } from './events.ts';

export type JobPort = {
  /**
   * Queue jobs for the task's pending runs that have none, up to its `parallel` setting;
   * `notBeforeSeconds` delays every start at least that long (a run waiting for its account).
   */
  dispatch(tx: Executor, task: TaskRow, options?: { notBeforeSeconds?: number }): Promise<void>;
  /** Stop the jobs of these runs: queued ones never start, running sessions are aborted. */
  cancelRuns(tx: Executor, runs: readonly RunRow[]): Promise<void>;
  /** Queue a notification for the task's chat (durable, retried). */
  publish(tx: Executor, event: TaskEvent): Promise<void>;
  /**
   * Queue a pre-flight check of the account: on the account's session queue, so it never shares
   * the account's browser with a warmup; its answer goes to chatId.
   */
  requestCheck(
    exec: Executor,
    request: { accountId: number; chatId: number; actorId: number },
  ): Promise<void>;
};
