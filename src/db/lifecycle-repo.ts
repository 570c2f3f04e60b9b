// Applies a lifecycle transition to task or run rows as one conditional UPDATE … WHERE status IN
// (…) RETURNING. A transition that lost a race returns no rows; it never throws.
import { and, inArray, type SQL, sql } from 'drizzle-orm';
import type { Executor } from './client.ts';
import type { runs, tasks } from './schema.ts';
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
