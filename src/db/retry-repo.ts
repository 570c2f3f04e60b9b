// The failed runs /retry_failed is about: failed for a reason (or any), inside a window of time
// by their end, optionally of some accounts, never of a removed one; optionally of one task
// (re-read under that task's lock before a restart).
import { and, asc, eq, gt, inArray, lte, type SQL, sql } from 'drizzle-orm';
import type { Executor } from './client.ts';
import { accounts, runs } from './schema.ts';

export type FailedRunFilter = {
  reason: string | null;
  since: Date;
  until: Date;
  /** Only the runs of these accounts (a selection: `accounts=tag:spring`). */
  accountIds?: readonly number[];
};

function failedIn(filter: FailedRunFilter): SQL {
  return and(
    eq(runs.status, 'failed'),
    gt(runs.completedAt, filter.since),
    lte(runs.completedAt, filter.until),
    ...(filter.reason === null ? [] : [eq(runs.reasonCode, filter.reason)]),
    ...(filter.accountIds === undefined ? [] : [inArray(runs.accountId, [...filter.accountIds, -1])]),
    sql`not exists (select 1 from ${accounts} where ${accounts.id} = ${runs.accountId} and ${accounts.removedAt} is not null)`,
  )!;
}

export async function failedRunsIn(exec: Executor, filter: FailedRunFilter) {
  return exec
    .select({
      runId: runs.id,
      taskId: runs.taskId,
      paused: sql<boolean>`${accounts.quarantinedAt} is not null`,
    })
    .from(runs)
    .innerJoin(accounts, eq(accounts.id, runs.accountId))
    .where(failedIn(filter))
    .orderBy(asc(runs.taskId), asc(runs.id));
}

/** The task's runs that still match, locked (the caller holds the task's row lock already). */
export async function lockFailedRunsOfTask(exec: Executor, taskId: number, filter: FailedRunFilter) {
  const rows = await exec
    .select({ id: runs.id })
    .from(runs)
    .where(and(eq(runs.taskId, taskId), failedIn(filter)))
    .orderBy(asc(runs.id))
    .for('update');
  return rows.map((r) => r.id);
}
