// Create a task with one run per account and queue those runs, in one transaction.
import { recordAudit } from '../db/audit-repo.ts';
import type { Db } from '../db/client.ts';
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
};

export async function createTask(
  db: Db,
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
      },
      accountIds,
    );
    await recordAudit(tx, {
      actorId: input.actorId,
      action: 'task.create',
      taskId: created.task.id,
      details: { accounts: accountIds.length },
    });
    await jobs.dispatch(tx, created.task);
    return created;
  });
}
