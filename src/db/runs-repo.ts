// What a running session writes as it goes: log lines, counters, the failure screenshot, and the
// job id a run was dispatched with. Writes are fenced by run number so a stale job writes nothing.
import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Executor } from './client.ts';
import { runLogLines, runScreenshots, runs } from './schema.ts';

export async function appendRunLog(
  exec: Executor,
  runId: number,
  runNumber: number,
  line: string,
): Promise<void> {
  await exec.insert(runLogLines).values({ runId, runNumber, line: line.slice(0, 2000) });
}

export async function lastLogLines(exec: Executor, runIds: readonly number[], limit: number) {
  if (runIds.length === 0) return [];
  const rows = await exec
    .select()
    .from(runLogLines)
    .where(inArray(runLogLines.runId, [...runIds]))
    .orderBy(desc(runLogLines.id))
    .limit(limit);
  return rows.reverse();
}

export async function updateRunCounters(
  exec: Executor,
  runId: number,
  runNumber: number,
  counters: Record<string, number>,
): Promise<boolean> {
  const rows = await exec
    .update(runs)
    .set({ counters, updatedAt: sql`now()` })
    .where(and(eq(runs.id, runId), eq(runs.runNumber, runNumber), eq(runs.status, 'running')))
    .returning({ id: runs.id });
  return rows.length > 0;
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

/** Pending runs of a task that have no job yet, oldest first. */
export async function undispatchedRuns(exec: Executor, taskId: number) {
  return exec
    .select()
    .from(runs)
    .where(and(eq(runs.taskId, taskId), eq(runs.status, 'pending'), isNull(runs.jobId)))
    .orderBy(asc(runs.id));
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

/** Unfinished runs that hold a job id: the reconciler checks each job still exists. */
export async function unfinishedRunsWithJobs(exec: Executor) {
  return exec
    .select()
    .from(runs)
    .where(and(inArray(runs.status, ['pending', 'running']), sql`${runs.jobId} is not null`));
}
