// Create a task with one run per account and queue those runs, in one transaction.
import { recordAudit } from '../db/audit-repo.ts';
import type { Executor } from '../db/client.ts';
import type { RunRow, TaskRow } from '../db/schema.ts';
import { insertTaskWithRuns } from '../db/tasks-repo.ts';
import type { JobPort } from './ports.ts';

export type CreateTaskInput = {
  name: string;
  kind?: 'warmup' | 'upload';
  settings: Record<string, unknown>;
  accountIds: readonly number[];
  chatId: number | null;
  actorId: number | null;
  /** A programme session: the programme and its day. */
  programmeId?: number;
  programmeDay?: number;
};

/** `db` may be an open transaction (the scheduler's, holding its slot claim): a savepoint then. */
export async function createTask(
  db: Executor,
  jobs: JobPort,
  input: CreateTaskInput,
): Promise<{ task: TaskRow; runs: RunRow[] }> {
  const accountIds = [...new Set(input.accountIds)];
  if (accountIds.length === 0) throw new Error('a task needs at least one account');
  return db.transaction(async (tx) => {
    const created = await insertTaskWithRuns(
      tx,
      {
        kind: input.kind ?? 'warmup',
        name: input.name,
        settings: input.settings,
        chatId: input.chatId,
        createdBy: input.actorId,
        programmeId: input.programmeId ?? null,
        programmeDay: input.programmeDay ?? null,
      },
      accountIds,
    );
    await recordAudit(tx, {
      actorId: input.actorId,
      action: 'task.create',
      taskId: created.task.id,
      details: {
        accounts: accountIds.length,
        ...(input.programmeId === undefined
          ? {}
          : { programmeId: input.programmeId, day: input.programmeDay }),
      },
    });
    await jobs.dispatch(tx, created.task);
    return created;
  });
}
