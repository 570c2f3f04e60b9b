// The account-session worker: begin the run, drive the browser through the SessionRunner, write
// log lines and counters as they happen, then finish the run. Transient failures go back to the
// queue for pg-boss to retry with backoff; health failures and exhausted retries end FAILED.
// A session's end is recorded even across a database restart: the write waits for the server.
import type { Job } from 'pg-boss';
import type { AccountRunResult } from '../db/accounts-repo.ts';
import { type Db, retryWhileUnavailable } from '../db/client.ts';
import { updateRunCounters } from '../db/runs-repo.ts';
import type { RunRow } from '../db/schema.ts';
import { claimProgressSlot, findTask } from '../db/tasks-repo.ts';
import type { Logger } from '../logger.ts';
import { buildTaskEvent } from '../tasks/events.ts';
import type { JobPort } from '../tasks/ports.ts';
import { beginRun, type FinishResult, finishRun, type RunEnding, type RunRef } from '../tasks/run-session.ts';
import { decryptSession, encryptSession } from '../tasks/session-cipher.ts';
import { sessionPayload } from './queues.ts';
import { createRunLog } from './run-log.ts';
import { failedOutcome, isHealthReason, type SessionOutcome, type SessionRunner } from './session-runner.ts';

export type SessionJobDeps = {
  db: Db;
  jobs: JobPort;
  runner: SessionRunner;
  log: Logger;
  sessionKey: Buffer | undefined;
  retryLimit: number;
  /** Aborted when the worker shuts down: running sessions are handed back to the queue. */
  shutdown: AbortSignal;
  progressIntervalMs?: number;
  /** Told of every run this worker ended COMPLETED or FAILED (for the duration histogram). */
  onRunFinished?: (run: RunRow) => void;
};

/**
 * Records a run's end. While the database is away the write is retried (until the worker's grace
 * period runs out), so a session that ended during a restart is not run again.
 */
async function finish(
  deps: SessionJobDeps,
  ref: RunRef,
  ending: RunEnding,
  account?: AccountRunResult,
): Promise<FinishResult> {
  const result = await retryWhileUnavailable(() => finishRun(deps.db, deps.jobs, ref, ending, account), {
    signal: deps.shutdown,
    onRetry: (err) => deps.log.warn({ err, runId: ref.runId }, 'database away; retrying the end of the run'),
  });
  if (result.run && ending.kind !== 'requeue') deps.onRunFinished?.(result.run);
  return result;
}

export function createSessionHandler(deps: SessionJobDeps) {
  const { db, jobs, log } = deps;
  return async ([job]: Job<unknown>[]) => {
    if (!job) return;
    const parsed = sessionPayload.safeParse(job.data);
    if (!parsed.success) {
      log.error({ jobId: job.id }, 'session job with a malformed payload: dropped');
      return { skipped: 'malformed' };
    }
    const ref: RunRef = { runId: parsed.data.runId, runNumber: parsed.data.runNumber, jobId: job.id };
    const begin = await beginRun(db, jobs, ref);
    if (!begin.ok) {
      log.info({ ...ref, stale: begin.stale }, 'session job is stale: skipped');
      return { skipped: begin.stale };
    }
    const runLog = createRunLog(db, ref, log);
    const sessionLog = log.child({
      runId: ref.runId,
      taskId: begin.task.id,
      account: begin.account.username,
    });
    sessionLog.info({ attempt: job.retryCount + 1 }, 'session started');
    if (begin.resumed) runLog.write('the previous attempt stopped responding (worker lost); starting again');

    let storageState: unknown;
    try {
      const blob = begin.account.sessionEncrypted;
      if (blob && !deps.sessionKey)
        throw new Error('SESSION_ENCRYPTION_KEY is not set, so the saved session cannot be read');
      storageState = blob && deps.sessionKey ? decryptSession(deps.sessionKey, blob) : undefined;
    } catch (err) {
      await runLog.flush();
      await finish(deps, ref, {
        kind: 'failed',
        code: 'session_unreadable',
        message: (err as Error).message,
      });
      return { failed: 'session_unreadable' };
    }

    const onProgress = (counters: Record<string, number>) => {
      runLog.enqueue(async () => {
        if (!(await updateRunCounters(db, ref.runId, ref.runNumber, counters))) return;
        // One progress event per task per interval, however many of its runs are live.
        if (!(await claimProgressSlot(db, begin.task.id, deps.progressIntervalMs ?? 5000))) return;
        const task = await findTask(db, begin.task.id);
        if (task?.status === 'running') await jobs.publish(db, await buildTaskEvent(db, task, 'progress'));
      });
    };

    let outcome: SessionOutcome;
    try {
      outcome = await deps.runner({
        account: { ...begin.account, storageState },
        settings: begin.task.settings,
        signal: AbortSignal.any([job.signal, deps.shutdown]),
        log: (line) => runLog.write(line),
        onProgress,
      });
    } catch (err) {
      sessionLog.error({ err }, 'session runner threw');
      outcome = failedOutcome('internal_error', (err as Error).message, true);
    }
    await runLog.flush();
    return settle(deps, job, ref, outcome, sessionLog);
  };
}

async function settle(
  deps: SessionJobDeps,
  job: Job<unknown>,
  ref: RunRef,
  outcome: SessionOutcome,
  log: Logger,
) {
  if (outcome.status === 'completed') {
    const sessionEncrypted =
      deps.sessionKey && outcome.storageState
        ? encryptSession(deps.sessionKey, outcome.storageState)
        : undefined;
    await finish(
      deps,
      ref,
      { kind: 'completed', counters: outcome.counters, cappedByTime: outcome.cappedByTime },
      { health: 'ok', healthMessage: null, warmed: true, ...(sessionEncrypted ? { sessionEncrypted } : {}) },
    );
    log.info({ counters: outcome.counters }, 'session completed');
    return { completed: true };
  }
  if (outcome.reason === 'cancelled') {
    // A user's cancel already ended the run, so this hands back nothing. A shutdown hands the
    // run back with a new job (another worker starts it at once, no retry spent); a lost claim
    // hands it back and throws, so pg-boss retries this job.
    if (deps.shutdown.aborted) {
      const back = await finish(deps, ref, {
        kind: 'requeue',
        code: 'interrupted',
        message: 'the worker shut down',
        redispatch: true,
      });
      if (back.applied) {
        log.warn('worker shutting down: session handed back to the queue');
        return { handedBack: true };
      }
    } else {
      const message = 'the session was interrupted';
      const back = await finish(deps, ref, { kind: 'requeue', code: 'interrupted', message });
      if (back.applied) {
        log.warn(message);
        throw new Error(`${message}; handed back to the queue`);
      }
    }
    log.info('session cancelled');
    return { cancelled: true };
  }
  if (outcome.retryable && job.retryCount < deps.retryLimit) {
    await finish(deps, ref, { kind: 'requeue', code: outcome.reason, message: outcome.message });
    log.warn(
      { reason: outcome.reason, attempt: job.retryCount + 1 },
      'session failed; pg-boss will retry it',
    );
    throw new Error(`${outcome.reason}: ${outcome.message}`);
  }
  const health = isHealthReason(outcome.reason) ? outcome.reason : undefined;
  await finish(
    deps,
    ref,
    {
      kind: 'failed',
      code: outcome.reason,
      message: outcome.message,
      counters: outcome.counters,
      screenshot: outcome.screenshot,
    },
    health ? { health, healthMessage: outcome.message } : undefined,
  );
  log.warn({ reason: outcome.reason }, 'session failed');
  return { failed: outcome.reason };
}
