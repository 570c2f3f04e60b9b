// Session jobs that pg-boss gave up on (retries exhausted, heartbeat lost on the last attempt,
// expired) land here; their run ends FAILED with a reason, so nothing stays RUNNING.
import type { JobWithMetadata } from 'pg-boss';
import type { Db } from '../db/client.ts';
import { runHoldsLease } from '../db/leases-repo.ts';
import { findRun } from '../db/tasks-repo.ts';
import type { Logger } from '../logger.ts';
import type { JobPort } from '../tasks/ports.ts';
import { finishRun } from '../tasks/run-session.ts';
import { sessionPayload } from './queues.ts';

export function createDeadLetterHandler(deps: { db: Db; jobs: JobPort; log: Logger }) {
  return async ([job]: JobWithMetadata<unknown>[]) => {
    const parsed = sessionPayload.safeParse(job?.data);
    if (!parsed.success) return { skipped: 'malformed' };
    // Fenced by the job it came from: a run handed back with a newer job is not this one's to fail.
    const jobId = job?.sourceId ?? undefined;
    const ref = { runId: parsed.data.runId, runNumber: parsed.data.runNumber, ...(jobId ? { jobId } : {}) };
    const run = await findRun(deps.db, ref.runId);
    if (!run) return { skipped: 'missing' };
    // Its browser is still open under the account's lease (an attempt whose claim was lost runs
    // on): that session ends the run itself, or its lease expires; ask again later (pg-boss retries).
    if (await runHoldsLease(deps.db, run.id)) throw new Error(`run ${run.id} is still in a browser`);
    const { code, message } = deadLetterReason(run.status, run.reasonCode, run.reasonMessage);
    const result = await failRunFromQueue(deps, ref, code, message);
    return { failed: result ? code : 'nothing to do' };
  };
}

/**
 * RUNNING here means the worker running it stopped heartbeating (killed, out of memory, power
 * loss). PENDING means it was handed back after a transient failure and had no attempt left.
 */
export function deadLetterReason(status: string, code: string | null, message: string | null) {
  if (status === 'running') {
    return { code: 'worker_lost', message: 'the worker running this session stopped responding' };
  }
  if (code && code !== 'interrupted') return { code, message: `${message ?? code} (no attempts left)` };
  return { code: 'expired', message: 'the session job expired before it could finish' };
}

export async function failRunFromQueue(
  deps: { db: Db; jobs: JobPort; log: Logger },
  ref: { runId: number; runNumber: number; jobId?: string },
  code: string,
  message: string,
): Promise<boolean> {
  const result = await finishRun(deps.db, deps.jobs, ref, { kind: 'failed', code, message });
  if (result.applied) deps.log.warn({ ...ref, reason: code }, 'run failed by the queue');
  return result.applied;
}
