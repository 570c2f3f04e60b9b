// Read-side use cases for the chat: a page of tasks, one task's details (runs, counters, log
// tail, history), and the names of the people who acted.
import { listAuditForTask } from '../db/audit-repo.ts';
import type { Executor } from '../db/client.ts';
import { lastLogLines } from '../db/runs-repo.ts';
import { findTask, listRuns, listTasks } from '../db/tasks-repo.ts';
import { findUsernames } from '../db/users-repo.ts';
import type { Status } from './lifecycle.ts';

export const PAGE_SIZE = 10;

/** Where a page starts: a typed page number, or next to a task of the page the user saw. */
export type PageCursor = { before: number } | { after: number };

export async function listTasksPage(
  exec: Executor,
  input: { status?: Status; page: number; cursor?: PageCursor },
) {
  const page = Math.max(1, input.page);
  // One more than a page: whether a next page exists, without counting every task.
  const { rows, total, capped } = await listTasks(exec, {
    ...(input.status ? { statuses: [input.status] } : {}),
    limit: PAGE_SIZE + 1,
    ...(input.cursor ?? { offset: (page - 1) * PAGE_SIZE }),
  });
  // Paging back (after) fetched the page's oldest+1 … newest; paging on, the newest … oldest-1.
  const backwards = input.cursor !== undefined && 'after' in input.cursor;
  const more = rows.length > PAGE_SIZE;
  const shown = backwards ? rows.slice(more ? 1 : 0) : rows.slice(0, PAGE_SIZE);
  return {
    page,
    /** Known when the count stayed under the cap. */
    pages: capped ? undefined : Math.max(1, Math.ceil(total / PAGE_SIZE)),
    total,
    capped,
    hasNext: backwards ? true : more,
    items: shown.map((r) => ({ ...r.task, runsTotal: r.runsTotal, runsFailed: r.runsFailed })),
  };
}
export type TaskPage = Awaited<ReturnType<typeof listTasksPage>>;

export async function getTaskDetails(exec: Executor, taskId: number, logLines = 8) {
  const task = await findTask(exec, taskId);
  if (!task) return undefined;
  const [runs, history] = await Promise.all([listRuns(exec, taskId), listAuditForTask(exec, taskId, 5)]);
  const log = await lastLogLines(
    exec,
    runs.filter((r) => r.runNumber === task.runNumber).map((r) => r.id),
    task.runNumber,
    logLines,
  );
  const usernames = new Map(runs.map((r) => [r.id, r.username]));
  return {
    task,
    runs,
    history,
    log: log.map((l) => ({ at: l.at, account: usernames.get(l.runId) ?? '?', line: l.line })),
  };
}
export type TaskDetails = NonNullable<Awaited<ReturnType<typeof getTaskDetails>>>;

/** Telegram ids → "@username" where known, for "restarted by …" lines. */
export async function actorNames(
  exec: Executor,
  ids: readonly (number | null)[],
): Promise<Map<number, string>> {
  const wanted = [...new Set(ids.filter((id): id is number => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await findUsernames(exec, wanted);
  const names = new Map(wanted.map((id) => [id, `id ${id}`]));
  for (const r of rows) if (r.username) names.set(r.telegramId, `@${r.username}`);
  return names;
}
