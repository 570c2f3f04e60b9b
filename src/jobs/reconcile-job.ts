// The reconciler, at worker startup and every minute (pg-boss schedule, one runner per cluster):
// repairs runs whose job no longer exists or ended without them, restarts dispatch chains, and
// brings task statuses in line with their runs. Safe to run concurrently with everything else.
import type { PgBoss } from 'pg-boss';
import type { Db } from '../db/client.ts';
import { runHoldsLease } from '../db/leases-repo.ts';
import { unfinishedRunsWithJobs } from '../db/runs-repo.ts';
import type { RunRow } from '../db/schema.ts';
import { listUnfinishedTaskIds } from '../db/tasks-repo.ts';
import type { Logger } from '../logger.ts';
import type { JobPort } from '../tasks/ports.ts';
import { settleTask } from '../tasks/run-session.ts';
import { failRunFromQueue } from './dead-letter-job.ts';
import { QUEUES } from './queues.ts';

/** A failed job's dead letter normally settles its run; the reconciler waits this long first. */
const DEAD_LETTER_GRACE_MS = 2 * 60_000;

export type ReconcileReport = { runsFailed: number; tasksSettled: number };

type ReconcileDeps = { db: Db; boss: PgBoss; jobs: JobPort; log: Logger };

export async function reconcile(deps: ReconcileDeps): Promise<ReconcileReport> {
  const { db, log } = deps;
  let runsFailed = 0;
  for (const run of await unfinishedRunsWithJobs(db)) {
    if (await reconcileRun(deps, run)) runsFailed++;
  }
  let tasksSettled = 0;
  for (const id of await listUnfinishedTaskIds(db)) {
    await db.transaction(async (tx) => {
      await settleTask(tx, deps.jobs, id);
    });
    tasksSettled++;
  }
  if (runsFailed > 0) log.warn({ runsFailed }, 'reconciler failed runs whose job was gone');
  return { runsFailed, tasksSettled };
}

/**
 * Fails one run, as read a moment ago, when its job is gone or ended without it. The row may be
 * stale by now (a deploy handed the run back with a new job since): the failure is fenced by the
 * job id that was checked, so only a run still carrying that job is failed.
 */
export async function reconcileRun(deps: ReconcileDeps, run: RunRow): Promise<boolean> {
  if (!run.jobId) return false;
  const job = await deps.boss.getJobById(QUEUES.session, run.jobId);
  const ended = job && ['completed', 'cancelled', 'failed'].includes(job.state);
  const settledLongAgo = !job?.completedOn || Date.now() - job.completedOn.getTime() > DEAD_LETTER_GRACE_MS;
  if (job && !(ended && (job.state !== 'failed' || settledLongAgo))) return false;
  // A session still in a browser under a lease ends its run itself (e.g. an older attempt of a
  // job whose claim was lost, running on).
  if (await runHoldsLease(deps.db, run.id)) return false;
  const why = job ? `its job ended ${job.state} without finishing the run` : 'its job no longer exists';
  const ref = { runId: run.id, runNumber: run.runNumber, jobId: run.jobId };
  return failRunFromQueue(deps, ref, 'job_lost', why);
}
