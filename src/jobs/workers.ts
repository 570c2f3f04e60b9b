// Starts this process's workers: account sessions and checks (WORKER_CONCURRENCY at once), their
// dead letters, the reconciler, daily retention and the programme tick. stop() hands the jobs of
// running sessions back after the grace period.
import type { Job } from 'pg-boss';
import type { Db } from '../db/client.ts';
import type { RunRow } from '../db/schema.ts';
import type { Logger } from '../logger.ts';
import { withSafeErrors } from '../safe-error.ts';
import type { RampPhase } from '../tasks/programmes/ramp.ts';
import { DEFAULT_LEASE_TIMINGS, type LeaseTimings } from './account-lease.ts';
import type { Boss } from './boss.ts';
import { createCheckHandler } from './check-job.ts';
import type { AccountChecker } from './check-runner.ts';
import { createDeadLetterHandler } from './dead-letter-job.ts';
import { createProgrammeTick } from './programme-job.ts';
import { isCheckJob, QUEUES } from './queues.ts';
import { reconcile } from './reconcile-job.ts';
import { applyRetention, DEFAULT_RETENTION_DAYS, type RetentionDays } from './retention-job.ts';
import { createSessionHandler } from './session-job.ts';
import type { SessionRunner } from './session-runner.ts';
import { createTaskJobs } from './task-jobs.ts';

export type WorkerDeps = {
  boss: Boss;
  db: Db;
  runner: SessionRunner;
  /** Runs /check; without one a check is answered that this worker cannot run it. */
  checker?: AccountChecker;
  log: Logger;
  concurrency: number;
  secretsKey: Buffer | undefined;
  progressIntervalMs?: number;
  onRunFinished?: (run: RunRow) => void;
  lease?: Partial<LeaseTimings>;
  /**
   * How often a running session's job is touched (pg-boss heartbeat); a cancel reaches the session
   * within this. Tests set it beyond the queue's heartbeatSeconds to make a worker lose its claim.
   */
  heartbeatRefreshSeconds?: number;
  retention?: RetentionDays;
  /** The programme scheduler's clock (tests drive it); the real one otherwise. */
  programmeClock?: () => Date;
  /** A platform's own ramp, for ramp=platform programmes (from the site profiles). */
  rampOf?: (platform: string | null) => readonly RampPhase[] | undefined;
};

export type Workers = {
  /** Stop taking jobs, let running sessions finish for up to graceMs, then hand their jobs back. */
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
    secretsKey: deps.secretsKey,
    retryLimit: timings.sessionRetryLimit,
    lease: { ...DEFAULT_LEASE_TIMINGS, ...deps.lease },
    shutdown: shutdown.signal,
    ...(deps.progressIntervalMs !== undefined ? { progressIntervalMs: deps.progressIntervalMs } : {}),
    onRunFinished: deps.onRunFinished,
  });
  const checkHandler = createCheckHandler({
    db: deps.db,
    log,
    checker: deps.checker,
    secretsKey: deps.secretsKey,
    lease: { ...DEFAULT_LEASE_TIMINGS, ...deps.lease },
    shutdown: shutdown.signal,
    answer: async (answer) => {
      await boss.send(QUEUES.checkAnswer, answer);
    },
  });
  await boss.work(
    QUEUES.session,
    {
      localConcurrency: deps.concurrency,
      // Touch often, so that a cancel (the job leaves 'active') reaches job.signal within seconds.
      heartbeatRefreshSeconds: deps.heartbeatRefreshSeconds ?? 2,
      pollingIntervalSeconds: 2,
      // Runs that start after a pause are not announced by NOTIFY; poll for them often enough.
      notifyPollingIntervalSeconds: 2,
    },
    // What a handler throws lands in the job's output (the dashboard shows it): made safe first.
    withSafeErrors(async (batch: Job<unknown>[]) => {
      active++;
      try {
        // Checks share the queue (and the account's singleton key) with warmups; they are no run.
        const [job] = batch;
        return job && isCheckJob(job.data) ? await checkHandler(job) : await sessionHandler(batch);
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
  const days = deps.retention ?? DEFAULT_RETENTION_DAYS;
  await boss.work(
    QUEUES.retention,
    { pollingIntervalSeconds: 60 },
    withSafeErrors(async () => {
      await applyRetention({ db: deps.db, log, days });
    }),
  );
  // db, and rampOf for ramp=platform programmes, come with deps.
  const tick = createProgrammeTick({ ...deps, jobs, log, now: deps.programmeClock });
  await boss.work(
    QUEUES.programmes,
    { pollingIntervalSeconds: 10 },
    withSafeErrors(async () => {
      await tick();
    }),
  );
  log.info({ concurrency: deps.concurrency }, 'workers started');

  return {
    active: () => active,
    async stop(graceMs: number) {
      const finished = boss.offWork(QUEUES.session, { wait: true });
      const timer = setTimeout(() => {
        if (active > 0)
          log.warn({ active }, 'grace period over: handing the jobs of running sessions back to the queue');
        shutdown.abort(new Error('worker shutting down'));
      }, graceMs);
      await finished;
      clearTimeout(timer);
      await Promise.all([
        boss.offWork(QUEUES.sessionDead),
        boss.offWork(QUEUES.reconcile),
        boss.offWork(QUEUES.retention),
        boss.offWork(QUEUES.programmes),
      ]);
    },
  };
}
