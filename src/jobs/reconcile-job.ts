// The reconciler, at worker startup and every minute (pg-boss schedule, one runner per cluster):
// repairs runs whose job no longer exists or ended without them, restarts dispatch chains, and
// brings task statuses in line with their runs. Safe to run concurrently with everything else.
import { inArray } from 'drizzle-orm';
import type { PgBoss } from 'pg-boss';
import type { Db } from '../db/client.ts';
import { runHoldsLease } from '../db/leases-repo.ts';
import { unfinishedRunsWithJobs } from '../db/runs-repo.ts';
import { tasks } from '../db/schema.ts';
import type { Logger } from '../logger.ts';
import type { JobPort } from '../tasks/ports.ts';
import { settleTask } from '../tasks/run-session.ts';
import { failRunFromQueue } from './dead-letter-job.ts';
import { QUEUES } from './queues.ts';

/** A failed job's dead letter normally settles its run; the reconciler waits this long first. */
const DEAD_LETTER_GRACE_MS = 2 * 60_000;

export type ReconcileReport = { runsFailed: number; tasksSettled: number };

export async function reconcile(deps: {
  db: Db;
  boss: PgBoss;
  jobs: JobPort;
  log: Logger;
}): Promise<ReconcileReport> {
  const { db, boss, log } = deps;
  let runsFailed = 0;
  for (const run of await unfinishedRunsWithJobs(db)) {
    const job = await boss.getJobById(QUEUES.session, run.jobId!);
    const ended = job && ['completed', 'cancelled', 'failed'].includes(job.state);
    const settledLongAgo = !job?.completedOn || Date.now() - job.completedOn.getTime() > DEAD_LETTER_GRACE_MS;
    if (job && !(ended && (job.state !== 'failed' || settledLongAgo))) continue;
    // A session still in a browser under a lease ends its run itself (e.g. an older attempt
    // of a job whose claim was lost, running on).
    if (await runHoldsLease(db, run.id)) continue;
    const why = job ? `its job ended ${job.state} without finishing the run` : 'its job no longer exists';
    // Fenced by the job checked: a run handed back meanwhile (a deploy) has a new job and is left alone.
    const ref = { runId: run.id, runNumber: run.runNumber, jobId: run.jobId! };
    if (await failRunFromQueue(deps, ref, 'job_lost', why)) runsFailed++;
  }
  let tasksSettled = 0;
  const open = await db
    .select({ id: tasks.id })
    .from(tasks)
    .where(inArray(tasks.status, ['pending', 'running']));
  for (const { id } of open) {
    await db.transaction(async (tx) => {
      await settleTask(tx, deps.jobs, id);
    });
    tasksSettled++;
  }
  if (runsFailed > 0) log.warn({ runsFailed }, 'reconciler failed runs whose job was gone');
  return { runsFailed, tasksSettled };
}
