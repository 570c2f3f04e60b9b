// Task and run rows: insert a task with its runs, read them back, list tasks by page.
// Status changes do not live here: they go through lifecycle-repo.ts with a lifecycle transition.
import { and, asc, count, desc, eq, gt, inArray, lt, sql } from 'drizzle-orm';
import type { Executor } from './client.ts';
import { accounts, type RunRow, runs, type TaskRow, tasks } from './schema.ts';
import type { Status } from './vocabulary.ts';

export type NewTask = {
  kind?: 'warmup' | 'upload';
  name: string;
  settings: unknown;
  chatId: number | null;
  createdBy: number | null;
  /** Set for a task a programme's scheduler created. */
  programmeId?: number | null;
  programmeDay?: number | null;
};

export async function insertTaskWithRuns(
  exec: Executor,
  task: NewTask,
  accountIds: readonly number[],
): Promise<{ task: TaskRow; runs: RunRow[] }> {
  const [row] = await exec
    .insert(tasks)
    .values({ kind: task.kind ?? 'warmup', ...task })
    .returning();
  if (!row) throw new Error('insert into tasks returned no row');
  const runRows =
    accountIds.length === 0
      ? []
      : await exec
          .insert(runs)
          .values(accountIds.map((accountId) => ({ taskId: row.id, accountId, runNumber: row.runNumber })))
          .returning();
  return { task: row, runs: runRows };
}

export async function findTask(exec: Executor, id: number, opts: { forUpdate?: boolean } = {}) {
  const query = exec.select().from(tasks).where(eq(tasks.id, id));
  const [row] = await (opts.forUpdate ? query.for('update') : query);
  return row;
}

export type RunWithAccount = RunRow & { username: string };

export async function listRuns(exec: Executor, taskId: number): Promise<RunWithAccount[]> {
  const rows = await exec
    .select({ run: runs, username: accounts.username })
    .from(runs)
    .innerJoin(accounts, eq(accounts.id, runs.accountId))
    .where(eq(runs.taskId, taskId))
    .orderBy(asc(runs.id));
  return rows.map((r) => ({ ...r.run, username: r.username }));
}

export async function findRun(exec: Executor, runId: number, opts: { forUpdate?: boolean } = {}) {
  const query = exec.select().from(runs).where(eq(runs.id, runId));
  const [row] = await (opts.forUpdate ? query.for('update') : query);
  return row;
}

/** The ids of the tasks not finished yet (queued or running): the reconciler settles each. */
export async function listUnfinishedTaskIds(exec: Executor): Promise<number[]> {
  const rows = await exec
    .select({ id: tasks.id })
    .from(tasks)
    .where(inArray(tasks.status, ['pending', 'running']));
  return rows.map((r) => r.id);
}

/** The account's queued or running runs, by task (a removal cancels them). */
export async function unfinishedRunsOfAccount(exec: Executor, accountId: number) {
  return exec
    .select({ runId: runs.id, taskId: runs.taskId })
    .from(runs)
    .where(and(eq(runs.accountId, accountId), inArray(runs.status, ['pending', 'running'])))
    .orderBy(asc(runs.taskId), asc(runs.id));
}

/** Each run's status, and whether it carries the task's current run number. */
export async function runStatesOf(exec: Executor, taskId: number) {
  return exec
    .select({ status: runs.status, current: sql<boolean>`${runs.runNumber} = ${tasks.runNumber}` })
    .from(runs)
    .innerJoin(tasks, eq(tasks.id, runs.taskId))
    .where(eq(runs.taskId, taskId));
}

/**
 * A page of tasks, newest first. `before`/`after` page by key (ids below or above a task the
 * user saw), so every page costs what the first does; `offset` (a typed page number) skips ids
 * on the (status, id) index only. The page's ids are picked first, so the per-task run counts are
 * computed for the rows shown and never for the ones skipped.
 */
export type TaskListFilter = {
  statuses?: readonly Status[];
  limit: number;
  offset?: number;
  before?: number;
  after?: number;
};

/** Counting stops here: a page header says "more than" instead of scanning every task. */
export const TASK_COUNT_CAP = 1000;

export async function listTasks(exec: Executor, filter: TaskListFilter) {
  const where = filter.statuses?.length ? inArray(tasks.status, [...filter.statuses]) : undefined;
  const cursor =
    filter.before !== undefined
      ? lt(tasks.id, filter.before)
      : filter.after !== undefined
        ? gt(tasks.id, filter.after)
        : undefined;
  const pageIds = exec
    .select({ id: tasks.id })
    .from(tasks)
    .where(and(where, cursor))
    .orderBy(filter.after !== undefined ? asc(tasks.id) : desc(tasks.id))
    .limit(filter.limit)
    .offset(filter.offset ?? 0);
  const counted = exec
    .select({ one: sql`1` })
    .from(tasks)
    .where(where)
    .limit(TASK_COUNT_CAP + 1)
    .as('counted');
  const [rows, [total]] = await Promise.all([
    exec
      .select({
        task: tasks,
        // Spelled out: drizzle renders columns unqualified inside sql``, which would correlate
        // the subquery with itself (runs.task_id = runs.id) instead of with the outer task.
        runsTotal: sql<number>`(select count(*)::int from runs r where r.task_id = "tasks"."id")`,
        runsFailed: sql<number>`(select count(*)::int from runs r where r.task_id = "tasks"."id" and r.status = 'failed')`,
      })
      .from(tasks)
      .where(inArray(tasks.id, pageIds))
      .orderBy(desc(tasks.id)),
    exec.select({ n: count() }).from(counted),
  ]);
  const n = total?.n ?? 0;
  return { rows, total: Math.min(n, TASK_COUNT_CAP), capped: n > TASK_COUNT_CAP };
}

/** Remembers the live progress message of the task's current run (ignored once restarted). */
export async function setProgressMessage(
  exec: Executor,
  taskId: number,
  runNumber: number,
  messageId: number | null,
) {
  await exec
    .update(tasks)
    .set({ progressMessageId: messageId })
    .where(and(eq(tasks.id, taskId), eq(tasks.runNumber, runNumber)));
}

/**
 * Progress is folded per task at the source: of all the runs of a running task, only the one that
 * gets here first in an interval publishes progress. True when this caller may publish now.
 */
export async function claimProgressSlot(
  exec: Executor,
  taskId: number,
  intervalMs: number,
): Promise<boolean> {
  const rows = await exec
    .update(tasks)
    .set({ progressPublishedAt: sql`now()` })
    .where(
      and(
        eq(tasks.id, taskId),
        eq(tasks.status, 'running'),
        sql`(${tasks.progressPublishedAt} is null or ${tasks.progressPublishedAt} <= now() - make_interval(secs => ${intervalMs / 1000}))`,
      ),
    )
    .returning({ id: tasks.id });
  return rows.length > 0;
}
