// Starts this process's workers: account sessions (WORKER_CONCURRENCY at once), their dead
// letters, and the reconciler. stop() hands running sessions back after the grace period.
import type { Job } from 'pg-boss';
import type { Db } from '../db/client.ts';
import type { RunRow } from '../db/schema.ts';
import type { Logger } from '../logger.ts';
import { withSafeErrors } from '../safe-error.ts';
import type { Boss } from './boss.ts';
import { createDeadLetterHandler } from './dead-letter-job.ts';
import { QUEUES } from './queues.ts';
import { reconcile } from './reconcile-job.ts';
import { createSessionHandler } from './session-job.ts';
import type { SessionRunner } from './session-runner.ts';
import { createTaskJobs } from './task-jobs.ts';

export type WorkerDeps = {
  boss: Boss;
  db: Db;
  runner: SessionRunner;
  log: Logger;
  concurrency: number;
  sessionKey: Buffer | undefined;
  progressIntervalMs?: number;
  onRunFinished?: (run: RunRow) => void;
};

export type Workers = {
  /** Stop taking sessions, let running ones finish for up to graceMs, then hand them back. */
  stop(graceMs: number): Promise<void>;
  active(): number;
};

export async function startWorkers(deps: WorkerDeps): Promise<Workers> {
  const { boss, timings } = deps.boss;
  const jobs = createTaskJobs(boss);
  const log = deps.log.child({ component: 'worker' });
  const shutdown = new AbortController();
  let active = 0;
  const sessionHandler = createSessionHandler({
    db: deps.db,
    jobs,
    runner: deps.runner,
    log,
    sessionKey: deps.sessionKey,
    retryLimit: timings.sessionRetryLimit,
    shutdown: shutdown.signal,
    ...(deps.progressIntervalMs !== undefined ? { progressIntervalMs: deps.progressIntervalMs } : {}),
    onRunFinished: deps.onRunFinished,
  });
  await boss.work(
    QUEUES.session,
    {
      localConcurrency: deps.concurrency,
      // Touch often, so that a cancel (the job leaves 'active') reaches job.signal within seconds.
      heartbeatRefreshSeconds: 2,
      pollingIntervalSeconds: 2,
      // Runs that start after a pause are not announced by NOTIFY; poll for them often enough.
      notifyPollingIntervalSeconds: 2,
    },
    // What a handler throws lands in the job's output (the dashboard shows it): made safe first.
    withSafeErrors(async (batch: Job<unknown>[]) => {
      active++;
      try {
        return await sessionHandler(batch);
      } finally {
        active--;
      }
    }),
  );
  await boss.work(
    QUEUES.sessionDead,
    { pollingIntervalSeconds: 5, includeMetadata: true },
    withSafeErrors(createDeadLetterHandler({ db: deps.db, jobs, log })),
  );
  const reconcileNow = () => reconcile({ db: deps.db, boss, jobs, log });
  await boss.work(
    QUEUES.reconcile,
    { pollingIntervalSeconds: 10 },
    withSafeErrors(async () => reconcileNow()),
  );
  await reconcileNow();
  log.info({ concurrency: deps.concurrency }, 'workers started');

  return {
    active: () => active,
    async stop(graceMs: number) {
      const finished = boss.offWork(QUEUES.session, { wait: true });
      const timer = setTimeout(() => {
        if (active > 0) log.warn({ active }, 'grace period over: handing running sessions back to the queue');
        shutdown.abort(new Error('worker shutting down'));
      }, graceMs);
      await finished;
      clearTimeout(timer);
      await Promise.all([boss.offWork(QUEUES.sessionDead), boss.offWork(QUEUES.reconcile)]);
    },
  };
}
