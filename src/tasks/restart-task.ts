// Restart a finished task: all runs, or only the failed and cancelled ones — either of them limited
// to the runs whose account can be warmed now ("restart the healthy ones"). One transaction resets
// the task and the runs (clearing both timestamps), bumps the run number, audits and enqueues.
import { taskRunAccounts } from '../db/accounts-repo.ts';
import { recordAudit } from '../db/audit-repo.ts';
import type { Db, Executor } from '../db/client.ts';
import { type RunPick, transitionRunsOfTask, transitionTaskToNextRun } from '../db/lifecycle-repo.ts';
import type { RunRow, TaskRow } from '../db/schema.ts';
import { findTask } from '../db/tasks-repo.ts';
import { UNWARMABLE_HEALTH } from '../warmup/failure-reasons.ts';
import { buildTaskEvent } from './events.ts';
import { canApply, refusalReason, type Status, TRANSITIONS } from './lifecycle.ts';
import type { JobPort } from './ports.ts';

/** `healthy` / `failedHealthy`: as `all` / `failed`, but only the runs whose account is warmable. */
export type RestartScope = 'all' | 'failed' | 'healthy' | 'failedHealthy';

const RESET_FROM: Record<RestartScope, readonly Status[]> = {
  all: ['completed', 'failed', 'cancelled'],
  failed: ['failed', 'cancelled'],
  healthy: ['completed', 'failed', 'cancelled'],
  failedHealthy: ['failed', 'cancelled'],
};

const AUDIT_ACTION: Record<RestartScope, string> = {
  all: 'task.restart',
  failed: 'task.restart_failed',
  healthy: 'task.restart_healthy',
  failedHealthy: 'task.restart_failed_healthy',
};

/** Whether the scope leaves out the runs of accounts that cannot be warmed now. */
export const isHealthyScope = (scope: RestartScope) => scope === 'healthy' || scope === 'failedHealthy';

/** The statuses of the runs a restart of this scope resets. */
export const resetFrom = (scope: RestartScope): readonly Status[] => RESET_FROM[scope];

/**
 * An account a new session cannot help until a person acts: logged out, at a captcha, blocked,
 * or quarantined — or one an admin removed. The restart warning names these; the healthy scopes
 * leave their runs as they are.
 */
export function cannotWarm(account: {
  health: string;
  quarantinedAt: Date | null;
  removedAt?: Date | null;
}): boolean {
  return (
    (account.removedAt ?? null) !== null ||
    account.quarantinedAt !== null ||
    (UNWARMABLE_HEALTH as readonly string[]).includes(account.health)
  );
}

export type RestartInput = {
  taskId: number;
  scope: RestartScope;
  actorId: number | null;
  chatId?: number | null;
};

export type RestartResult =
  | { ok: true; task: TaskRow; runs: RunRow[] }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'busy'; status: Status; message: string }
  | { ok: false; reason: 'nothing_failed' }
  | { ok: false; reason: 'none_healthy' };

export async function restartTask(db: Db, jobs: JobPort, input: RestartInput): Promise<RestartResult> {
  return db.transaction(async (tx) => {
    // The row lock serialises concurrent restarts: the second one sees PENDING and is refused.
    const current = await findTask(tx, input.taskId, { forUpdate: true });
    if (!current) return { ok: false, reason: 'not_found' };
    const status = current.status;
    if (!canApply('restart', status)) {
      return { ok: false, reason: 'busy', status, message: refusalReason('restart', status) ?? '' };
    }
    const from = RESET_FROM[input.scope];
    // Read under the task's row lock: the runs cannot change status meanwhile (their changes lock it too).
    const candidates = (await taskRunAccounts(tx, input.taskId)).filter((r) => from.includes(r.status));
    if (candidates.length === 0 && from.length < RESET_FROM.all.length) {
      return { ok: false, reason: 'nothing_failed' };
    }
    const healthyOnly = isHealthyScope(input.scope);
    const chosen = healthyOnly ? candidates.filter((r) => !cannotWarm(r)).map((r) => r.runId) : [];
    if (healthyOnly && chosen.length === 0) return { ok: false, reason: 'none_healthy' };

    const { task, reset } = await resetRuns(tx, jobs, {
      current,
      runs: healthyOnly ? { statuses: from, ids: chosen } : { statuses: from },
      actorId: input.actorId,
      chatId: input.chatId ?? null,
      action: AUDIT_ACTION[input.scope],
    });
    return { ok: true, task, runs: reset };
  });
}

/**
 * The restart itself, under the task's row lock taken by the caller (the task is restartable):
 * the task back to PENDING with the next run number, the runs `runs` picks reset with it,
 * audited, dispatched, announced.
 */
export async function resetRuns(
  tx: Executor,
  jobs: JobPort,
  input: {
    current: TaskRow;
    runs: RunPick;
    actorId: number | null;
    chatId: number | null;
    action: string;
    details?: Record<string, unknown>;
  },
): Promise<{ task: TaskRow; reset: RunRow[] }> {
  const { current } = input;
  const task = await transitionTaskToNextRun(tx, current.id, TRANSITIONS.restart, {
    restartedBy: input.actorId,
    chatId: input.chatId ?? current.chatId,
    progressMessageId: null,
  });
  if (!task) throw new Error(`task ${current.id} changed under its row lock`);
  const reset = await transitionRunsOfTask(tx, task.id, TRANSITIONS.restart, input.runs, {
    runNumber: task.runNumber,
    counters: {},
    // A new run number starts afresh: new targets drawn when it begins, nothing recorded yet.
    plan: null,
    effects: {},
    cappedByTime: false,
    reasonCode: null,
    reasonMessage: null,
    attempts: 0,
    jobId: null,
  });
  await recordAudit(tx, {
    actorId: input.actorId,
    action: input.action,
    taskId: task.id,
    details: { ...input.details, runNumber: task.runNumber, runs: reset.map((r) => r.id) },
  });
  await jobs.dispatch(tx, task);
  await jobs.publish(tx, await buildTaskEvent(tx, task, 'restarted', input.actorId));
  return { task, reset };
}
