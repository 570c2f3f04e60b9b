// How a session's outcome ends its run: completed (the account's saved login updated unless a
// newer one arrived meanwhile); failed, with the account's health when the failure says something of
// it; or back to the queue — for a transient failure with attempts left (the failure-reason
// table decides), a shutdown (a new job, no retry spent), a lost claim or a lost lease.
import type { Job } from 'pg-boss';
import type { AccountRunResult } from '../db/accounts-repo.ts';
import { type Db, retryWhileUnavailable } from '../db/client.ts';
import type { RunFence } from '../db/runs-repo.ts';
import type { RunRow } from '../db/schema.ts';
import type { Logger } from '../logger.ts';
import { sealLogin } from '../tasks/login-cipher.ts';
import type { JobPort } from '../tasks/ports.ts';
import { type FinishResult, finishRun, type RunEnding } from '../tasks/run-session.ts';
import { failurePolicy } from '../warmup/failure-reasons.ts';
import type { LeaseTimings } from './account-lease.ts';
import type { SessionOutcome, SessionRunner } from './session-runner.ts';

export type SessionJobDeps = {
  db: Db;
  jobs: JobPort;
  runner: SessionRunner;
  log: Logger;
  secretsKey: Buffer | undefined;
  retryLimit: number;
  lease: LeaseTimings;
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
export async function finish(
  deps: SessionJobDeps,
  ref: RunFence,
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

export async function settleSession(
  deps: SessionJobDeps,
  job: Job<unknown>,
  ref: RunFence,
  outcome: SessionOutcome,
  loginBefore: Buffer | null,
  leaseLost: AbortSignal,
  log: Logger,
) {
  if (outcome.status === 'completed') {
    const encrypted =
      deps.secretsKey && outcome.storageState ? sealLogin(deps.secretsKey, outcome.storageState) : undefined;
    const result = await finish(
      deps,
      ref,
      { kind: 'completed', counters: outcome.counters, cappedByTime: outcome.cappedByTime },
      {
        health: 'ok',
        healthMessage: null,
        warmed: true,
        ...(encrypted ? { login: { encrypted, before: loginBefore } } : {}),
      },
    );
    if (result.loginKept === false)
      log.info('the account got a new saved login during the run; keeping it instead of the run’s');
    log.info({ counters: outcome.counters }, 'session completed');
    return { completed: true };
  }
  if (outcome.reason === 'cancelled') {
    // A user's cancel already ended the run, so this hands back nothing. A shutdown hands the
    // run back with a new job (another worker starts it at once, no retry spent); a lost claim
    // or a lost lease hands it back and throws, so pg-boss retries this job.
    if (deps.shutdown.aborted) {
      const back = await finish(deps, ref, {
        kind: 'requeue',
        code: 'interrupted',
        message: 'the worker shut down',
        redispatch: true,
      });
      if (back.applied) {
        log.warn('worker shutting down: the session’s job handed back to the queue');
        return { handedBack: true };
      }
    } else {
      const message = leaseLost.aborted
        ? 'the session lost its account lease'
        : 'the session was interrupted';
      const back = await finish(deps, ref, { kind: 'requeue', code: 'interrupted', message });
      if (back.applied) {
        log.warn(message);
        throw new Error(`${message}; handed back to the queue`);
      }
    }
    log.info('session cancelled');
    return { cancelled: true };
  }
  const policy = failurePolicy(outcome.reason);
  if (policy.retryable && job.retryCount < deps.retryLimit) {
    await finish(deps, ref, { kind: 'requeue', code: outcome.reason, message: outcome.message });
    log.warn(
      { reason: outcome.reason, attempt: job.retryCount + 1 },
      'session failed; pg-boss will retry it',
    );
    throw new Error(`${outcome.reason}: ${outcome.message}`);
  }
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
    policy.health ? { health: policy.health, healthMessage: outcome.message } : undefined,
  );
  log.warn({ reason: outcome.reason }, 'session failed');
  return { failed: outcome.reason };
}
