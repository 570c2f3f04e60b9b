// Applies a lifecycle transition to task or run rows as one conditional UPDATE … WHERE status IN
// (…) RETURNING: one task, one run, or the runs of a task. A transition that lost a race returns no
// rows; it never throws. Which transition, and what else it writes, is the caller's (src/tasks).
import { and, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { Executor } from './client.ts';
import { type RunRow, runs, type TaskRow, tasks } from './schema.ts';
import type { Status } from './vocabulary.ts';

/** Structurally the same as src/tasks/lifecycle.ts's Transition; db imports nothing of ours. */
export type TransitionSpec = {
  readonly from: readonly Status[];
  readonly to: Status;
  readonly startedAt: 'now' | 'clear' | 'keep';
  readonly completedAt: 'now' | 'clear' | 'keep';
};

type LifecycleTable = typeof tasks | typeof runs;
type Extra<T extends LifecycleTable> = Partial<
  Omit<T['$inferInsert'], 'status' | 'startedAt' | 'completedAt'>
>;
/** What a transition writes to a task besides its status and timestamps. */
export type TaskChanges = Extra<typeof tasks>;
/** What a transition writes to a run besides its status and timestamps. */
export type RunChanges = Extra<typeof runs>;

function stampValue(effect: 'now' | 'clear' | 'keep', column: SQL | unknown) {
  if (effect === 'now') return sql`now()`;
  if (effect === 'clear') return null;
  return column;
}

export async function transitionRows<T extends LifecycleTable>(
  exec: Executor,
  table: T,
  transition: TransitionSpec,
  where: SQL | undefined,
  extra: Extra<T> | Record<string, unknown> = {},
): Promise<T['$inferSelect'][]> {
  const set: Record<string, unknown> = {
    ...extra,
    status: transition.to,
    updatedAt: sql`now()`,
    startedAt: stampValue(transition.startedAt, table.startedAt),
    completedAt: stampValue(transition.completedAt, table.completedAt),
  };
  // Cast: drizzle's update() does not accept a union of tables; both share the lifecycle columns.
  const target = table as typeof tasks;
  const rows = await exec
    .update(target)
    .set(set)
    .where(and(inArray(target.status, [...transition.from]), where))
    .returning();
  return rows as T['$inferSelect'][];
}

/** One task through a transition; undefined when it was not in one of the transition's statuses. */
export async function transitionTask(
  exec: Executor,
  taskId: number,
  transition: TransitionSpec,
  changes: TaskChanges = {},
): Promise<TaskRow | undefined> {
  const [row] = await transitionRows(exec, tasks, transition, eq(tasks.id, taskId), changes);
  return row;
}

/** As transitionTask, with the task's run number moved on by one (a restart). */
export async function transitionTaskToNextRun(
  exec: Executor,
  taskId: number,
  transition: TransitionSpec,
  changes: Omit<TaskChanges, 'runNumber'> = {},
): Promise<TaskRow | undefined> {
  const [row] = await transitionRows(exec, tasks, transition, eq(tasks.id, taskId), {
    ...changes,
    runNumber: sql`${tasks.runNumber} + 1`,
  });
  return row;
}

/** One run through a transition; undefined when it was not in one of the transition's statuses. */
export async function transitionRun(
  exec: Executor,
  runId: number,
  transition: TransitionSpec,
  changes: RunChanges = {},
): Promise<RunRow | undefined> {
  const [row] = await transitionRows(exec, runs, transition, eq(runs.id, runId), changes);
  return row;
}

/** Which runs of a task: those in `statuses` and, when given, among `ids` (the transition's `from` applies too). */
export type RunPick = { statuses?: readonly Status[]; ids?: readonly number[] };

/** The task's runs that `pick` names through a transition; the rows that moved. */
export async function transitionRunsOfTask(
  exec: Executor,
  taskId: number,
  transition: TransitionSpec,
  pick: RunPick,
  changes: RunChanges = {},
): Promise<RunRow[]> {
  const where = and(
    eq(runs.taskId, taskId),
    pick.statuses ? inArray(runs.status, [...pick.statuses]) : undefined,
    pick.ids ? inArray(runs.id, [...pick.ids]) : undefined,
  );
  return transitionRows(exec, runs, transition, where, changes);
}
