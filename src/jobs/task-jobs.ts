// The JobPort that src/tasks uses, on pg-boss: dispatch a task's waiting runs (at most `parallel`
// running or queued per task, free accounts first, starts spread by a random pause), cancel their
// jobs, publish notifications —
// each inside the caller's transaction through fromDrizzle.
import { fromDrizzle, type PgBoss } from 'pg-boss';
import { adapterSqlTag, type Executor } from '../db/client.ts';
import { countLiveRuns, setRunJob, undispatchedRuns } from '../db/runs-repo.ts';
import type { RunRow, TaskRow } from '../db/schema.ts';
import type { TaskEvent } from '../tasks/events.ts';
import type { JobPort } from '../tasks/ports.ts';
import {
  accountSingletonKey,
  CHECK_EXPIRY_SECONDS,
  type CheckPayload,
  QUEUES,
  SESSION_EXPIRY_MARGIN_SECONDS,
  type SessionPayload,
} from './queues.ts';

type DispatchSettings = { parallel: number; pauseMin: number; pauseMax: number; capSeconds: number };

/** Task settings are validated on creation; read the dispatch knobs defensively all the same. */
export function dispatchSettings(settings: unknown): DispatchSettings {
  const s = (settings ?? {}) as {
    parallel?: unknown;
    delaySeconds?: { min?: unknown; max?: unknown };
    sessionCapSeconds?: unknown;
  };
  const int = (v: unknown, lo: number, hi: number, fallback: number) =>
    typeof v === 'number' && Number.isInteger(v) ? Math.min(hi, Math.max(lo, v)) : fallback;
  const pauseMin = int(s.delaySeconds?.min, 0, 3600, 15);
  return {
    parallel: int(s.parallel, 1, 4, 1),
    pauseMin,
    pauseMax: int(s.delaySeconds?.max, pauseMin, 3600, Math.max(pauseMin, 45)),
    capSeconds: int(s.sessionCapSeconds, 1, 24 * 3600, 1800),
  };
}

/** pg-boss's view of the caller's transaction: what it sends there commits or rolls back with it. */
const inTransaction = (exec: Executor) => fromDrizzle(exec, adapterSqlTag);

export function createTaskJobs(boss: PgBoss, random: () => number = Math.random): JobPort {
  const pause = (s: DispatchSettings) => s.pauseMin + Math.floor(random() * (s.pauseMax - s.pauseMin + 1));
  return {
    async dispatch(tx: Executor, task: TaskRow, options = {}) {
      const waiting = await undispatchedRuns(tx, task.id);
      if (waiting.length === 0) return;
      const settings = dispatchSettings(task.settings);
      const live = await countLiveRuns(tx, task.id);
      const db = inTransaction(tx);
      // The first start of a task is immediate; every later one waits a random pause.
      let startAfter = Math.max(live > 0 ? pause(settings) : 0, options.notBeforeSeconds ?? 0);
      for (const run of waiting.slice(0, Math.max(0, settings.parallel - live))) {
        const payload: SessionPayload = {
          runId: run.id,
          runNumber: run.runNumber,
          taskId: run.taskId,
          accountId: run.accountId,
        };
        const jobId = await boss.send(QUEUES.session, payload, {
          db,
          singletonKey: accountSingletonKey(run.accountId),
          expireInSeconds: settings.capSeconds + SESSION_EXPIRY_MARGIN_SECONDS,
          ...(startAfter > 0 ? { startAfter } : {}),
        });
        if (!jobId) throw new Error(`pg-boss refused the session job for run ${run.id}`);
        await setRunJob(tx, run.id, run.runNumber, jobId);
        startAfter += pause(settings);
      }
    },

    async cancelRuns(tx: Executor, runs: readonly RunRow[]) {
      const ids = runs.map((r) => r.jobId).filter((id): id is string => id !== null);
      if (ids.length > 0) await boss.cancel(QUEUES.session, ids, { db: inTransaction(tx) });
    },

    async publish(tx: Executor, event: TaskEvent) {
      if (event.chatId === null) return;
      await boss.send(QUEUES.notify, event, { db: inTransaction(tx) });
    },

    async requestCheck(exec: Executor, request) {
      const payload: CheckPayload = { kind: 'check', ...request };
      const jobId = await boss.send(QUEUES.session, payload, {
        db: inTransaction(exec),
        singletonKey: accountSingletonKey(request.accountId),
        expireInSeconds: CHECK_EXPIRY_SECONDS,
        // A check is asked for now: an answer minutes later, after a retry, would be out of date.
        retryLimit: 0,
      });
      if (!jobId) throw new Error(`pg-boss refused the check job for account ${request.accountId}`);
    },
  };
}
