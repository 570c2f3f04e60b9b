// Rows for tests: accounts and tasks in a given state, and a queue port that records what the
// use cases asked of it (the pg-boss implementation is exercised by the job tests).
import { eq, inArray, sql } from 'drizzle-orm';
import { expect, vi } from 'vitest';
import { insertAccount } from '../../src/db/accounts-repo.ts';
import type { Db, Executor } from '../../src/db/client.ts';
import { type RunRow, runs, type TaskRow, tasks } from '../../src/db/schema.ts';
import { insertTaskWithRuns } from '../../src/db/tasks-repo.ts';
import type { TaskEvent } from '../../src/tasks/events.ts';
import { deriveTaskStatus, type Status } from '../../src/tasks/lifecycle.ts';
import type { JobPort } from '../../src/tasks/ports.ts';

let counter = 0;

export async function makeAccounts(db: Db, n: number, prefix = 'acct'): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = await insertAccount(db, { username: `${prefix}${++counter}` });
    if (!row) throw new Error('account insert failed');
    ids.push(row.id);
  }
  return ids;
}

/** A task whose runs are in the given statuses, stamped as if they had really run. */
export async function makeTask(
  db: Db,
  runStatuses: readonly string[],
  taskStatus?: string,
): Promise<{ task: TaskRow; runs: RunRow[] }> {
  const accountIds = await makeAccounts(db, runStatuses.length);
  const created = await insertTaskWithRuns(
    db,
    { name: `task ${++counter}`, settings: {}, chatId: 100, createdBy: 1 },
    accountIds,
  );
  for (const [i, run] of created.runs.entries()) {
    await forceStatus(db, runs, run.id, runStatuses[i] ?? 'pending');
  }
  await forceStatus(
    db,
    tasks,
    created.task.id,
    taskStatus ??
      deriveTaskStatus(runStatuses.map((status) => ({ status: status as Status, current: true }))),
  );
  const [task] = await db.select().from(tasks).where(eq(tasks.id, created.task.id));
  const runRows = await db
    .select()
    .from(runs)
    .where(
      inArray(
        runs.id,
        created.runs.map((r) => r.id),
      ),
    )
    .orderBy(runs.id);
  return { task: task!, runs: runRows };
}

/** Resolves once the task is in `status` (read every intervalMs); fails after timeoutMs with the last one seen. */
export function waitForTaskStatus(db: Db, id: number, status: string, timeoutMs = 20_000, intervalMs = 100) {
  return vi.waitFor(
    async () => {
      const [row] = await db.select().from(tasks).where(eq(tasks.id, id));
      expect(row?.status).toBe(status);
    },
    { timeout: timeoutMs, interval: intervalMs },
  );
}

/** Test setup only: puts a row straight into a status with plausible timestamps. */
export async function forceStatus(db: Db, table: typeof tasks | typeof runs, id: number, status: string) {
  const started = status === 'pending' ? null : sql`now() - interval '5 minutes'`;
  const completed = ['completed', 'failed', 'cancelled'].includes(status)
    ? sql`now() - interval '1 minute'`
    : null;
  const t = table as typeof tasks;
  await db
    .update(t)
    .set({ status: status as Status, startedAt: started, completedAt: completed })
    .where(eq(t.id, id));
}

/**
 * A JobPort that records what the use cases asked of it, for tests of src/tasks alone; the
 * pg-boss implementation has its own tests against a real queue.
 */
export type RecordingJobs = JobPort & {
  dispatched: number[];
  cancelled: number[][];
  events: TaskEvent[];
};

export function recordingJobs(): RecordingJobs {
  const jobs: RecordingJobs = {
    dispatched: [],
    cancelled: [],
    events: [],
    async dispatch(_tx: Executor, task: TaskRow) {
      jobs.dispatched.push(task.id);
    },
    async cancelRuns(_tx: Executor, rows: readonly RunRow[]) {
      jobs.cancelled.push(rows.map((r) => r.id).sort((a, b) => a - b));
    },
    async publish(_tx: Executor, event: TaskEvent) {
      jobs.events.push(event);
    },
    async requestCheck() {
      throw new Error('recordingJobs does not run checks');
    },
  };
  return jobs;
}
