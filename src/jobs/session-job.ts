// The account-session worker: take the account's lease, begin the run, drive the browser through
// the SessionRunner, write log lines and counters as they happen (each like, follow, comment and
// search recorded before it happens: run-ledger.ts), finish the run, and give the lease up only
// after the browser context has closed (rule 11: one browser per account).
// A session's end is recorded even across a database restart: the write waits for the server.
import type { Job } from 'pg-boss';
import { type RunFence, updateRunCounters } from '../db/runs-repo.ts';
import { claimProgressSlot, findRun, findTask } from '../db/tasks-repo.ts';
import { describeError } from '../safe-error.ts';
import { openAccountSecrets } from '../tasks/account-secrets.ts';
import { buildTaskEvent } from '../tasks/events.ts';
import { beginRun, deferRun, staleness } from '../tasks/run-session.ts';
import { type HeldLease, waitForLease } from './account-lease.ts';
import { sessionPayload } from './queues.ts';
import { runLedgerOpener } from './run-ledger.ts';
import { createRunLog } from './run-log.ts';
import { finish, type SessionJobDeps, settleSession } from './session-end.ts';
import { failedOutcome, type SessionOutcome } from './session-runner.ts';

export type { SessionJobDeps } from './session-end.ts';

/** How long a session that could not take its account's lease waits in the queue before it asks again. */
const LEASE_RETRY_DELAY_SECONDS = 15;

export function createSessionHandler(deps: SessionJobDeps) {
  const { db, log } = deps;
  return async ([job]: Job<unknown>[]) => {
    if (!job) return;
    const parsed = sessionPayload.safeParse(job.data);
    if (!parsed.success) {
      log.error({ jobId: job.id }, 'session job with a malformed payload: dropped');
      return { skipped: 'malformed' };
    }
    const ref: RunFence = {
      runId: parsed.data.runId,
      runNumber: parsed.data.runNumber,
      jobId: job.id,
      attempt: job.retryCount,
    };
    // Not worth waiting for the account when the run is not this job's any more.
    const peek = await findRun(db, ref.runId);
    const stale = peek ? staleness(peek, ref, true) : 'missing';
    if (stale) {
      log.info({ ...ref, stale }, 'session job is stale: skipped');
      return { skipped: stale };
    }
    const stop = AbortSignal.any([job.signal, deps.shutdown]);
    const holder = {
      accountId: parsed.data.accountId,
      runId: ref.runId,
      holder: `${job.id}:${job.retryCount}`,
    };
    let held = await waitForLease(db, holder, deps.lease, stop, log);
    // An older attempt of this job whose claim was lost still runs the session: it ends the run
    // or hands it back, so this attempt waits for it as long as the job is ours.
    while (!held && !stop.aborted && (await findRun(db, ref.runId))?.status === 'running') {
      held = await waitForLease(db, holder, deps.lease, stop, log);
    }
    if (!held) return handBackUnleased(deps, ref, stop);
    try {
      return await runLeased(deps, job, ref, held);
    } finally {
      // runLeased returns after the runner, which returns after the browser context has closed.
      await held.release();
    }
  };
}

/** The account stayed busy (or the job was stopped) while waiting: nothing ran, no retry is spent. */
async function handBackUnleased(deps: SessionJobDeps, ref: RunFence, stop: AbortSignal) {
  if (stop.aborted && !deps.shutdown.aborted) return { skipped: 'stopped while waiting for the account' };
  const delaySeconds = deps.shutdown.aborted ? 0 : LEASE_RETRY_DELAY_SECONDS;
  const deferred = await deferRun(deps.db, deps.jobs, ref, delaySeconds);
  deps.log.info({ ...ref, deferred }, 'account busy in another session: the run waits in the queue');
  return deferred ? { waiting: 'deferred' } : { skipped: 'not this job’s run any more' };
}

async function runLeased(deps: SessionJobDeps, job: Job<unknown>, ref: RunFence, held: HeldLease) {
  const { db, jobs, log } = deps;
  const leaseLost = held.lost;
  const begin = await beginRun(db, jobs, ref);
  if (!begin.ok) {
    log.info({ ...ref, stale: begin.stale }, 'session job is stale: skipped');
    return { skipped: begin.stale };
  }
  const runLog = createRunLog(db, ref, log);
  const sessionLog = log.child({ runId: ref.runId, taskId: begin.task.id, account: begin.account.username });
  sessionLog.info({ attempt: job.retryCount + 1 }, 'session started');
  if (begin.resumed) runLog.write('the previous attempt stopped responding (worker lost); starting again');

  const loginBefore = begin.account.loginEncrypted;
  const secrets = openAccountSecrets(begin.account, deps.secretsKey);
  if (!secrets.ok) {
    await runLog.flush();
    await finish(deps, ref, { kind: 'failed', code: secrets.code, message: secrets.message });
    return { failed: secrets.code };
  }
  const { storageState, proxyUrl } = secrets;

  const onProgress = (counters: Record<string, number>) => {
    runLog.enqueue(async () => {
      if (!(await updateRunCounters(db, ref, counters))) return;
      // One progress event per task per interval, however many of its runs are live.
      if (!(await claimProgressSlot(db, begin.task.id, deps.progressIntervalMs ?? 5000))) return;
      const task = await findTask(db, begin.task.id);
      if (task?.status === 'running') await jobs.publish(db, await buildTaskEvent(db, task, 'progress'));
    });
  };

  const openLedger = runLedgerOpener(db, ref, held.lease, begin.run, sessionLog);
  let outcome: SessionOutcome;
  try {
    outcome = await deps.runner({
      account: { ...begin.account, storageState, proxyUrl },
      settings: begin.task.settings,
      openLedger,
      signal: AbortSignal.any([job.signal, deps.shutdown, leaseLost]),
      log: (line) => runLog.write(line),
      onProgress,
    });
  } catch (err) {
    sessionLog.error({ err }, 'session runner threw');
    outcome = failedOutcome('internal_error', describeError(err), true);
  }
  await runLog.flush();
  return settleSession(deps, job, ref, outcome, loginBefore, leaseLost, sessionLog);
}
