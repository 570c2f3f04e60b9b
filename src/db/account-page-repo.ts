// What one account's page reads: the programmes it takes part in, its last runs, and the chat's
// own timezone (chat_settings) to show their times in.
import { asc, desc, eq } from 'drizzle-orm';
import type { Executor } from './client.ts';
import { chatSettings, programmeAccounts, programmes, runs, tasks } from './schema.ts';

export async function programmesOfAccount(exec: Executor, accountId: number) {
  return exec
    .select({ id: programmes.id, name: programmes.name, status: programmes.status })
    .from(programmeAccounts)
    .innerJoin(programmes, eq(programmes.id, programmeAccounts.programmeId))
    .where(eq(programmeAccounts.accountId, accountId))
    .orderBy(asc(programmes.id));
}

/** The account's runs, most recently touched first (run rows are reused by restarts). */
export async function lastRunsOfAccount(exec: Executor, accountId: number, limit = 10) {
  return exec
    .select({
      runId: runs.id,
      taskId: runs.taskId,
      taskName: tasks.name,
      status: runs.status,
      counters: runs.counters,
      reasonCode: runs.reasonCode,
      startedAt: runs.startedAt,
      completedAt: runs.completedAt,
      updatedAt: runs.updatedAt,
    })
    .from(runs)
    .innerJoin(tasks, eq(tasks.id, runs.taskId))
    .where(eq(runs.accountId, accountId))
    .orderBy(desc(runs.updatedAt), desc(runs.id))
    .limit(limit);
}

/** The chat's own timezone (/tz), when it set one. */
export async function chatTimeZone(exec: Executor, chatId: number): Promise<string | undefined> {
  const [row] = await exec
    .select({ timeZone: chatSettings.timeZone })
    .from(chatSettings)
    .where(eq(chatSettings.chatId, chatId));
  return row?.timeZone ?? undefined;
}
