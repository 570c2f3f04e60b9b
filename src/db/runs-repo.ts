// What a running session writes as it goes: log lines, counters, the effects it records before
// performing them, the failure screenshot, and the job id a run was dispatched with. A session's
// writes are fenced by run number, job id and attempt, so a stale job, or an older attempt whose
// claim was lost, writes nothing.
import { and, asc, desc, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import type { Executor } from './client.ts';
import type { Lease } from './leases-repo.ts';
import { accountLeases, runLogLines, runScreenshots, runs } from './schema.ts';

/** The attempt that owns a running run: the only one whose writes land. */
export type RunFence = { runId: number; runNumber: number; jobId: string; attempt: number };

function ownedBy(fence: RunFence) {
  return and(
    eq(runs.id, fence.runId),
    eq(runs.runNumber, fence.runNumber),
    eq(runs.jobId, fence.jobId),
    eq(runs.jobAttempt, fence.attempt),
    eq(runs.status, 'running'),
  );
}

/** Appends a line if the fence still owns the run; false when it no longer does (nothing written). */
export async function appendRunLog(exec: Executor, fence: RunFence, line: string): Promise<boolean> {
  const rows = await exec.execute(
    sql`insert into ${runLogLines} (run_id, run_number, line)
        select ${runs.id}, ${runs.runNumber}, ${line.slice(0, 2000)} from ${runs} where ${ownedBy(fence)}
        returning id`,
  );
  return rows.length > 0;
}

/** The last lines of these runs written under `runNumber` (a restart's runs show only their own). */
export async function lastLogLines(
  exec: Executor,
  runIds: readonly number[],
  runNumber: number,
  limit: number,
) {
  if (runIds.length === 0) return [];
  const rows = await exec
    .select()
    .from(runLogLines)
    .where(and(inArray(runLogLines.runId, [...runIds]), eq(runLogLines.runNumber, runNumber)))
    .orderBy(desc(runLogLines.id))
    .limit(limit);
  return rows.reverse();
}

export async function updateRunCounters(
  exec: Executor,
  fence: RunFence,
  counters: Record<string, number>,
): Promise<boolean> {
  const rows = await exec
    .update(runs)
    .set({ counters, updatedAt: sql`now()` })
    .where(ownedBy(fence))
    .returning({ id: runs.id });
  return rows.length > 0;
}

/** How many of this effect the run recorded so far (a key of `effects`). */
const recorded = (kind: string) => sql`coalesce((${runs.effects} ->> ${kind}::text)::int, 0)`;

/**
 * Records one effect (`likes`, `follows`, `comments`, `searches`) before the session performs it:
 * one more, only while the fence owns the run, the lease is live in the database, and the run has
 * recorded fewer than its plan's target. False: nothing recorded — the effect must not happen.
 */
export async function claimRunEffect(
  exec: Executor,
  fence: RunFence,
  lease: Lease,
  kind: string,
): Promise<boolean> {
  const liveLease = exec
    .select({ token: accountLeases.token })
    .from(accountLeases)
    .where(
      and(
        eq(accountLeases.accountId, lease.accountId),
        eq(accountLeases.token, lease.token),
        gt(accountLeases.expiresAt, sql`now()`),
      ),
    );
  const rows = await exec
    .update(runs)
    .set({
      effects: sql`jsonb_set(${runs.effects}, array[${kind}::text], to_jsonb(${recorded(kind)} + 1))`,
      updatedAt: sql`now()`,
    })
    .where(
      and(
        ownedBy(fence),
        sql`${recorded(kind)} < coalesce((${runs.plan} -> 'targets' ->> ${kind}::text)::int, 0)`,
        sql`exists (${liveLease})`,
      ),
    )
    .returning({ id: runs.id });
  return rows.length > 0;
}

/**
 * Stores the run's plan (its targets) unless it has one already, while the fence owns the run. The
 * plan the run holds now: this one, or the one an earlier attempt stored; undefined when the run is
 * not the fence's any more.
 */
export async function fixRunPlan(exec: Executor, fence: RunFence, plan: unknown): Promise<unknown> {
  const [stored] = await exec
    .update(runs)
    .set({ plan, updatedAt: sql`now()` })
    .where(and(ownedBy(fence), isNull(runs.plan)))
    .returning({ plan: runs.plan });
  if (stored) return stored.plan;
  const [held] = await exec.select({ plan: runs.plan }).from(runs).where(ownedBy(fence));
  return held?.plan ?? undefined;
}

export async function saveScreenshot(
  exec: Executor,
  runId: number,
  runNumber: number,
  png: Buffer,
): Promise<void> {
  await exec
    .insert(runScreenshots)
    .values({ runId, runNumber, png })
    .onConflictDoUpdate({ target: runScreenshots.runId, set: { runNumber, png, takenAt: sql`now()` } });
}

export async function findScreenshot(exec: Executor, runId: number) {
  const [row] = await exec.select().from(runScreenshots).where(eq(runScreenshots.runId, runId));
  return row;
}

/**
 * Pending runs of a task that have no job yet: those whose account is free first (an account
 * busy in another task — running, or queued there — would hold a slot while it waits), then
 * oldest first.
 */
export async function undispatchedRuns(exec: Executor, taskId: number) {
  // Spelled out: drizzle renders columns unqualified inside sql``, which would compare the
  // subquery's runs with themselves instead of with the outer run.
  const busyElsewhere = sql`exists (select 1 from runs o where o.account_id = "runs"."account_id"
    and o.task_id <> "runs"."task_id"
    and (o.status = 'running' or (o.status = 'pending' and o.job_id is not null)))`;
  return exec
    .select()
    .from(runs)
    .where(and(eq(runs.taskId, taskId), eq(runs.status, 'pending'), isNull(runs.jobId)))
    .orderBy(busyElsewhere, asc(runs.id));
}

/** Runs of a task holding a slot: running, or queued with a job. */
export async function countLiveRuns(exec: Executor, taskId: number): Promise<number> {
  const [row] = await exec
    .select({ n: sql<number>`count(*)::int` })
    .from(runs)
    .where(
      and(
        eq(runs.taskId, taskId),
        sql`(${runs.status} = 'running' or (${runs.status} = 'pending' and ${runs.jobId} is not null))`,
      ),
    );
  return row?.n ?? 0;
}

export async function setRunJob(
  exec: Executor,
  runId: number,
  runNumber: number,
  jobId: string,
): Promise<void> {
  await exec
    .update(runs)
    .set({ jobId })
    .where(and(eq(runs.id, runId), eq(runs.runNumber, runNumber)));
}

/** Forgets the run's job: the next dispatch gives it a new one. */
export async function clearRunJob(exec: Executor, runId: number): Promise<void> {
  await exec.update(runs).set({ jobId: null }).where(eq(runs.id, runId));
}

/** Unfinished runs that hold a job id: the reconciler checks each job still exists. */
export async function unfinishedRunsWithJobs(exec: Executor) {
  return exec
    .select()
    .from(runs)
    .where(and(inArray(runs.status, ['pending', 'running']), sql`${runs.jobId} is not null`));
}
