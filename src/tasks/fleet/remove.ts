// Removing an account (`/account_remove alice`, once confirmed), in one transaction: its queued or
// running runs are cancelled first (the JobPort drops their jobs and aborts a running session), then
// the account is marked removed, its programme memberships end and its planned slots are skipped
// `removed`; audited. Its runs stay readable (/task); its name is free for a new account.
import { recordAudit } from '../../db/audit-repo.ts';
import type { Db, Executor } from '../../db/client.ts';
import { markAccountRemoved } from '../../db/fleet-repo.ts';
import { transitionRunsOfTask } from '../../db/lifecycle-repo.ts';
import { moveSlotsOfAccount } from '../../db/programme-moves-repo.ts';
import { liveMembershipsOf, removeMember } from '../../db/programmes-repo.ts';
import { findTask, unfinishedRunsOfAccount } from '../../db/tasks-repo.ts';
import { TRANSITIONS } from '../lifecycle.ts';
import type { JobPort } from '../ports.ts';
import { programmeDayAt } from '../programmes/calendar.ts';
import { SLOT_MOVES } from '../programmes/states.ts';
import { settleTask } from '../run-session.ts';

export type RemoveResult =
  | { ok: true; username: string; cancelledRuns: number; programmes: number; skippedSlots: number }
  | { ok: false; problem: 'unknownAccount' };

export async function removeAccount(
  db: Db,
  jobs: JobPort,
  input: { accountId: number; actorId: number | null; now: Date },
): Promise<RemoveResult> {
  return db.transaction(async (tx) => {
    // Task rows before the account's row, as a run's end locks them: the two never deadlock.
    const cancelledRuns = await cancelRunsOf(tx, jobs, input.accountId, input.actorId);
    const removed = await markAccountRemoved(tx, input.accountId, input.actorId);
    if (!removed) return { ok: false, problem: 'unknownAccount' } as const;
    const memberships = await liveMembershipsOf(tx, input.accountId);
    for (const { programme } of memberships) {
      const untilDay = Math.max(1, programmeDayAt(programme, input.now) + 1);
      await removeMember(tx, programme.id, input.accountId, untilDay);
    }
    const skipped = await moveSlotsOfAccount(tx, input.accountId, SLOT_MOVES.skip, {
      reason: 'removed',
      at: input.now,
    });
    const result = {
      username: removed.username,
      cancelledRuns,
      programmes: memberships.length,
      skippedSlots: skipped.length,
    };
    await recordAudit(tx, {
      actorId: input.actorId,
      action: 'account.remove',
      details: { accountId: removed.id, ...result, programmeIds: memberships.map((m) => m.programme.id) },
    });
    return { ok: true, ...result } as const;
  });
}

/**
 * Cancels the account's unfinished runs task by task, each under its task's row lock, and settles
 * each task as a run's end does (a task left with nothing to run finishes and says so).
 */
async function cancelRunsOf(
  tx: Executor,
  jobs: JobPort,
  accountId: number,
  actorId: number | null,
): Promise<number> {
  const byTask = new Map<number, number[]>();
  for (const r of await unfinishedRunsOfAccount(tx, accountId))
    byTask.set(r.taskId, [...(byTask.get(r.taskId) ?? []), r.runId]);
  let cancelled = 0;
  for (const [taskId, ids] of [...byTask].sort(([a], [b]) => a - b)) {
    if (!(await findTask(tx, taskId, { forUpdate: true }))) continue;
    const runs = await transitionRunsOfTask(
      tx,
      taskId,
      TRANSITIONS.cancel,
      { ids },
      { reasonCode: 'cancelled', reasonMessage: 'the account was removed' },
    );
    if (runs.length === 0) continue;
    cancelled += runs.length;
    await jobs.cancelRuns(tx, runs);
    await settleTask(tx, jobs, taskId, { cancelledBy: actorId });
  }
  return cancelled;
}
