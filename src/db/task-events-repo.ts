// What a task event reads: each run's status and failure reason with its account, and which
// failed runs have a screenshot from the task's current run number.
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Executor } from './client.ts';
import { accounts, runScreenshots, runs } from './schema.ts';

export async function runOutcomes(exec: Executor, taskId: number) {
  return exec
    .select({
      id: runs.id,
      status: runs.status,
      account: accounts.username,
      platform: accounts.platform,
      code: runs.reasonCode,
      message: runs.reasonMessage,
    })
    .from(runs)
    .innerJoin(accounts, eq(accounts.id, runs.accountId))
    .where(eq(runs.taskId, taskId))
    .orderBy(asc(runs.id));
}

export async function runsWithScreenshot(
  exec: Executor,
  runIds: readonly number[],
  runNumber: number,
): Promise<number[]> {
  if (runIds.length === 0) return [];
  const rows = await exec
    .select({ runId: runScreenshots.runId })
    .from(runScreenshots)
    .where(and(inArray(runScreenshots.runId, [...runIds]), eq(runScreenshots.runNumber, runNumber)));
  return rows.map((r) => r.runId);
}
